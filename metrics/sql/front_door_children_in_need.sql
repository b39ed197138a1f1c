-- Continues a with-clause that defines scoped_months(la_code, period_end), the covered month ends
-- this recompute redoes; returns the number of children in need at each per LA (column count).
-- A child is in need at a month end when one of their episodes is open: referral date on or before
-- it and no closure date or a closure date after it (the DfE's "open at 31 March": closure on or
-- after 1 April). As in the DfE's count of episodes open at 31 March (CIN census guide, check
-- YonY12), referrals with no further action and episodes whose only activity was an assessment
-- (no section 47 enquiry, no CP plan) closed with RC8 or RC9 are left out. A child with
-- overlapping episodes counts once: episodes are merged per child before counting (only children
-- with more than one episode need it; they are few).
episodes as materialized (
    select r.la_code, r.child_id, r.referral_date as start_date,
        coalesce(r.closure_date, date '9999-12-31') as end_date
    from cin_referrals r
    join scoped_las s on s.la_code = r.la_code
    -- an episode closed before the first month redone covers none of its month ends
    where coalesce(r.closure_date, date '9999-12-31') > s.first_from
        and not referral_nfa
        and not (section47_count = 0 and cp_plan_count = 0
            and coalesce(reason_for_closure, '') in ('RC8', 'RC9'))
),
repeated as (
    select la_code, child_id from episodes group by la_code, child_id having count(*) > 1
),
ordered as (
    select e.*,
        max(e.end_date) over (
            partition by e.la_code, e.child_id order by e.start_date
            rows between unbounded preceding and 1 preceding
        ) as earlier_end
    from episodes e
    semi join repeated r on r.la_code = e.la_code and r.child_id = e.child_id
),
islands as (
    select la_code, child_id, min(start_date) as start_date, max(end_date) as end_date
    from (
        select *,
            sum((earlier_end is null or start_date > earlier_end)::integer) over (
                partition by la_code, child_id order by start_date rows unbounded preceding
            ) as island
        from ordered
    )
    group by la_code, child_id, island
    union all
    select e.la_code, e.child_id, e.start_date, e.end_date
    from episodes e
    anti join repeated r on r.la_code = e.la_code and r.child_id = e.child_id
),
-- open at month end m  <=>  start <= m < end  <=>  last_day(start) <= m < last_day(end)
changes as (
    select la_code, last_day(start_date) as period_end, 1 as change from islands
    union all
    select la_code, last_day(end_date), -1 from islands where end_date < date '9999-12-31'
),
running as (
    select la_code, period_end,
        sum(sum(change)) over (partition by la_code order by period_end) as children
    from changes
    group by la_code, period_end
)
select c.la_code, c.period_end, coalesce(r.children, 0) as count
from scoped_months c
asof left join running r on r.la_code = c.la_code and c.period_end >= r.period_end
order by c.la_code, c.period_end
