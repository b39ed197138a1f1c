-- Continues a with-clause that defines covered_months(la_code, period_end) and scoped_months (the
-- covered month ends this recompute redoes); returns, per LA and scoped month end: children_on_plan (children with a CP plan open at the month end: start on or
-- before it, no end or an end after it), reviews_denominator (of those, children whose current
-- plan started at least 3 months before: start + 3 months <= month end) and reviews_numerator
-- (of those, children whose reviews were all in time).
-- A child with two open plans is judged on the one that started last. Reviews are in time when
-- the first came on or before start + 3 months and each later one on or before the previous
-- review + 6 months, and the next review is not yet overdue at the month end (due date on or
-- after it). Gaps that end before the LA's first loaded census year (known_from) are not judged:
-- the census only carries the last review before the year.
--
-- Why it is computed per plan, not per plan and month: from known_from on, a plan that is out of
-- time at a month end stays out of time (a missed due date is either overdue or, once the review
-- comes, a late review). So each plan is in time up to one date, on_time_until: the earliest due
-- date that was missed (no next review, or a next review after it that is judged). Counts per
-- month end then come from +1/-1 changes at month ends and running sums, which scales to every LA
-- and ten years. Children with overlapping plans (rare) are expanded month by month instead, to
-- pick their latest plan at each month end.
known_from as (
    select la_code, min(coverage_start) as known_from
    from cin_census_returns
    group by la_code
),
coverage_ends as (
    select la_code, max(period_end) as last_end
    from covered_months
    group by la_code
),
plans as materialized (
    select *,
        bool_or(coalesce(next_plan_start < coalesce(plan_end_date, date '9999-12-31'), false))
            over (partition by la_code, child_id) as child_has_overlapping_plans
    from (
        select la_code, child_id, plan_start_date, plan_end_date,
            lead(plan_start_date) over (partition by la_code, child_id order by plan_start_date)
                as next_plan_start
        from cin_cp_plans p
        join scoped_las s using (la_code)
        -- a plan that ended before the first month redone is open at none of its month ends
        where coalesce(p.plan_end_date, date '9999-12-31') > s.first_from
    )
),
plan_events as (
    select la_code, child_id, plan_start_date, plan_start_date as event_date, 3 as months_allowed
    from plans
    union all
    select r.la_code, r.child_id, r.plan_start_date, r.review_date, 6
    from cin_cp_reviews r
    semi join plans p
        on p.la_code = r.la_code and p.child_id = r.child_id and p.plan_start_date = r.plan_start_date
),
gaps as (
    select la_code, child_id, plan_start_date,
        event_date + to_months(months_allowed) as due,
        lead(event_date) over (
            partition by la_code, child_id, plan_start_date order by event_date, months_allowed
        ) as next_event
    from plan_events
),
timeliness as materialized (
    select g.la_code, g.child_id, g.plan_start_date,
        min(g.due) filter (
            where g.next_event is null or (g.next_event > g.due and g.next_event >= k.known_from)
        )::date as on_time_until
    from gaps g
    join known_from k on k.la_code = g.la_code
    group by g.la_code, g.child_id, g.plan_start_date
),
-- month ends as half-open ranges [from, until): open at m <=> start <= m < end <=>
-- last_day(start) <= m < last_day(end); m <= on_time_until <=> m < last_day(on_time_until + 1 day)
plan_spans as materialized (
    select p.la_code,
        last_day(p.plan_start_date) as on_plan_from,
        coalesce(last_day(p.plan_end_date), date '9999-12-31') as on_plan_until,
        last_day((p.plan_start_date + interval 3 month)::date) as reviewed_from,
        least(
            coalesce(last_day(p.plan_end_date), date '9999-12-31'),
            last_day(t.on_time_until + 1)
        ) as in_time_until
    from plans p
    join timeliness t
        on t.la_code = p.la_code and t.child_id = p.child_id and t.plan_start_date = p.plan_start_date
    where not p.child_has_overlapping_plans
),
changes as (
    select la_code, on_plan_from as period_end, 1 as on_plan, 0 as reviewed, 0 as in_time from plan_spans
    union all
    select la_code, on_plan_until, -1, 0, 0 from plan_spans
    union all
    select la_code, reviewed_from, 0, 1, 0 from plan_spans where reviewed_from < on_plan_until
    union all
    select la_code, on_plan_until, 0, -1, 0 from plan_spans where reviewed_from < on_plan_until
    union all
    select la_code, reviewed_from, 0, 0, 1 from plan_spans where reviewed_from < in_time_until
    union all
    select la_code, in_time_until, 0, 0, -1 from plan_spans where reviewed_from < in_time_until
),
running as (
    select la_code, period_end,
        sum(sum(on_plan)) over by_month as children_on_plan,
        sum(sum(reviewed)) over by_month as reviews_denominator,
        sum(sum(in_time)) over by_month as reviews_numerator
    from changes
    where period_end < date '9999-12-31'
    group by la_code, period_end
    window by_month as (partition by la_code order by period_end)
),
overlapping_plan_months as (
    select p.la_code, p.child_id, p.plan_start_date, t.on_time_until,
        last_day(unnest(generate_series(
            date_trunc('month', p.plan_start_date),
            case
                when p.plan_end_date is null then e.last_end
                else least(e.last_end, date_trunc('month', p.plan_end_date) - interval 1 month)
            end,
            interval 1 month
        ))::date) as period_end
    from plans p
    join coverage_ends e on e.la_code = p.la_code
    join timeliness t
        on t.la_code = p.la_code and t.child_id = p.child_id and t.plan_start_date = p.plan_start_date
    where p.child_has_overlapping_plans
),
overlapping_counts as (
    select la_code, period_end,
        count(*) as children_on_plan,
        count(*) filter (where plan_start_date + interval 3 month <= period_end) as reviews_denominator,
        count(*) filter (
            where plan_start_date + interval 3 month <= period_end and period_end <= on_time_until
        ) as reviews_numerator
    from (
        select *
        from overlapping_plan_months
        qualify row_number() over (
            partition by la_code, period_end, child_id order by plan_start_date desc
        ) = 1
    )
    group by la_code, period_end
)
select
    c.la_code,
    c.period_end,
    coalesce(r.children_on_plan, 0) + coalesce(o.children_on_plan, 0) as children_on_plan,
    coalesce(r.reviews_denominator, 0) + coalesce(o.reviews_denominator, 0) as reviews_denominator,
    coalesce(r.reviews_numerator, 0) + coalesce(o.reviews_numerator, 0) as reviews_numerator
from scoped_months c
asof left join running r on r.la_code = c.la_code and c.period_end >= r.period_end
left join overlapping_counts o on o.la_code = c.la_code and o.period_end = c.period_end
order by c.la_code, c.period_end
