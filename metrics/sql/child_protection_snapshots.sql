-- Continues a with-clause that defines covered_months(la_code, period_end); returns, per LA and
-- covered month end: children_on_plan (children with a CP plan open at the month end: start on or
-- before it, no end or an end after it), reviews_denominator (of those, children whose current
-- plan started at least 3 months before: start + 3 months <= month end) and reviews_numerator
-- (of those, children whose reviews were all in time).
-- A child with two open plans is judged on the one that started last. Reviews are in time when
-- the first came on or before start + 3 months and each later one on or before the previous
-- review + 6 months, and the next review is not yet overdue at the month end (due date on or
-- after it). Gaps that end before the LA's first loaded census year (known_from) are not judged:
-- the census only carries the last review before the year.
known_from as (
    select la_code, min(coverage_start) as known_from
    from cin_census_returns
    group by la_code
),
open_plans as (
    select c.la_code, c.period_end, p.child_id, p.plan_start_date
    from covered_months c
    join cin_cp_plans p
        on p.la_code = c.la_code
        and p.plan_start_date <= c.period_end
        and (p.plan_end_date is null or p.plan_end_date > c.period_end)
    qualify row_number() over (
        partition by c.la_code, c.period_end, p.child_id order by p.plan_start_date desc
    ) = 1
),
reviews as (
    select
        r.la_code, r.child_id, r.plan_start_date, r.review_date,
        r.review_date > coalesce(
            lag(r.review_date) over by_plan + interval 6 month,
            r.plan_start_date + interval 3 month
        ) and r.review_date >= k.known_from as late
    from cin_cp_reviews r
    join cin_cp_plans p using (la_code, child_id, plan_start_date)
    join known_from k on k.la_code = r.la_code
    window by_plan as (partition by r.la_code, r.child_id, r.plan_start_date order by r.review_date)
),
judged as (
    select
        o.la_code, o.period_end, o.child_id,
        o.plan_start_date + interval 3 month <= o.period_end as on_plan_3_months,
        coalesce(max(r.review_date) + interval 6 month, o.plan_start_date + interval 3 month)
            >= o.period_end as next_review_not_overdue,
        coalesce(bool_or(r.late), false) as any_late
    from open_plans o
    left join reviews r
        on r.la_code = o.la_code and r.child_id = o.child_id
        and r.plan_start_date = o.plan_start_date and r.review_date <= o.period_end
    group by o.la_code, o.period_end, o.child_id, o.plan_start_date
)
select
    c.la_code,
    c.period_end,
    count(j.child_id) as children_on_plan,
    count(j.child_id) filter (where j.on_plan_3_months) as reviews_denominator,
    count(j.child_id) filter (
        where j.on_plan_3_months and not j.any_late and j.next_review_not_overdue
    ) as reviews_numerator
from covered_months c
left join judged j on j.la_code = c.la_code and j.period_end = c.period_end
group by c.la_code, c.period_end
order by c.la_code, c.period_end
