-- One row per child protection event with whether it meets its measure (hit 1/0), for every LA.
-- Needs the CTEs working_day_calendar(day, working_day_index) from metrics.working_days and
-- scoped_las (the LAs this recompute redoes, with window_from: events before it reach no month
-- redone). Children with a plan starting from window_from are read with every plan they had,
-- since "an earlier plan" may be any earlier plan.
-- repeat_cp_plans: a plan starting in the period that is a second or subsequent plan:
--   NumberOfPreviousCPP above 0, or an earlier plan for the same child in the data.
-- repeat_cp_plans_within_2_years: the child's previous plan (the one starting just before) ended
--   on or before this plan's start and on or after its start minus 2 years.
-- icpc_15_days: an ICPC held in the period within 15 working days of the start of the section 47
--   enquiry (strategy discussion), or of the referral date for a child transferring in with a
--   CINdetails DateOfInitialCPC on or after the referral date. One ICPC per child and date: the
--   section 47 record wins over the transfer-in record.
with planned_children as (
    select distinct p.la_code, p.child_id
    from cin_cp_plans p
    join scoped_las s on s.la_code = p.la_code
    where p.plan_start_date >= s.window_from
),
plans as (
    select
        p.la_code,
        p.plan_start_date,
        p.number_of_previous_plans,
        s.window_from,
        lag(p.plan_start_date) over by_child as previous_plan_start_date,
        lag(p.plan_end_date) over by_child as previous_plan_end_date
    from cin_cp_plans p
    join scoped_las s on s.la_code = p.la_code
    semi join planned_children c on c.la_code = p.la_code and c.child_id = p.child_id
    window by_child as (partition by p.la_code, p.child_id order by p.plan_start_date)
),
-- one ICPC per child and date: filtering by that date keeps or drops all of a date's records
conferences as (
    select c.la_code, c.child_id, c.s47_start_date as start_date, c.icpc_date, 1 as preference
    from cin_section47 c
    join scoped_las s on s.la_code = c.la_code
    where c.icpc_date >= s.window_from
    union all
    select r.la_code, r.child_id, r.referral_date, r.transfer_icpc_date, 2
    from cin_referrals r
    join scoped_las s on s.la_code = r.la_code
    where r.transfer_icpc_date >= r.referral_date and r.transfer_icpc_date >= s.window_from
),
icpcs as (
    select la_code, start_date, icpc_date
    from conferences
    qualify row_number() over (
        partition by la_code, child_id, icpc_date order by preference, start_date
    ) = 1
)
select
    la_code,
    'repeat_cp_plans' as indicator_id,
    plan_start_date as event_date,
    (coalesce(number_of_previous_plans, 0) > 0 or previous_plan_start_date is not null)::integer as hit
from plans
where plan_start_date >= window_from
union all
select
    la_code,
    'repeat_cp_plans_within_2_years',
    plan_start_date,
    coalesce(
        previous_plan_end_date <= plan_start_date
        and previous_plan_end_date >= plan_start_date - interval 2 year,
        false
    )::integer
from plans
where plan_start_date >= window_from
union all
select
    i.la_code,
    'icpc_15_days',
    i.icpc_date,
    (held.working_day_index - started.working_day_index <= 15)::integer
from icpcs i
join working_day_calendar started on started.day = i.start_date
join working_day_calendar held on held.day = i.icpc_date
