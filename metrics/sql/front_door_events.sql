-- One row per front-door event with whether it meets its measure (hit 1/0), for every LA.
-- Needs the CTEs working_day_calendar(day, working_day_index) from metrics.working_days and
-- scoped_las (the LAs this recompute redoes, with window_from: events before it reach no month
-- redone) and lookback_from (12 months before it: as far back as a re-referral looks).
-- re_referrals: a referral is a re-referral when the same child's previous referral (in the same
--   LA) was on or after this referral's date minus 12 months (2023-05-10 after 2022-05-10: yes;
--   after 2022-05-09: no). Event date: the referral date.
-- assessments_45_days: an assessment authorised in the period that took 45 working days or less
--   (working days after the start date up to and including the authorisation date).
with referrals as (
    select
        r.la_code,
        r.referral_date,
        s.window_from,
        lag(r.referral_date) over (
            partition by r.la_code, r.child_id order by r.referral_date
        ) as previous_referral_date
    from cin_referrals r
    join scoped_las s on s.la_code = r.la_code
    where r.referral_date >= s.lookback_from
)
select
    la_code,
    're_referrals' as indicator_id,
    referral_date as event_date,
    coalesce(previous_referral_date >= referral_date - interval 12 month, false)::integer as hit
from referrals
where referral_date >= window_from
union all
select
    a.la_code,
    'assessments_45_days' as indicator_id,
    a.assessment_authorisation_date as event_date,
    (authorised.working_day_index - started.working_day_index <= 45)::integer as hit
from cin_assessments a
join scoped_las s on s.la_code = a.la_code
join working_day_calendar started on started.day = a.assessment_start_date
join working_day_calendar authorised on authorised.day = a.assessment_authorisation_date
where a.assessment_authorisation_date >= s.window_from
