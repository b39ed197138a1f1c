-- Caseload per LA, month end and group (team, service area, role, all workers), from the latest
-- caseload list in each month. A case holder has FTE above 0 and at least one case; fte, cases,
-- average and the range are of case holders only. The caller supplies the CTEs `standards`
-- (role, low, high) and `scoped_lists` (the caseload_workers rows of the month ends to compute)
-- before this text.
snapshots as (
    select la_code, last_day(snapshot_date) as period_end, max(snapshot_date) as snapshot_date
    from scoped_lists
    group by all
),
workers as (
    select
        s.la_code,
        s.period_end,
        w.team,
        w.service_area,
        w.role,
        w.fte,
        w.cases,
        w.fte > 0 and w.cases > 0 as case_holder,
        case when w.fte > 0 and w.cases > 0 and st.role is not null
            then round(w.cases / w.fte, 6) between st.low and st.high end as within_standard
    from snapshots s
    join scoped_lists w using (la_code, snapshot_date)
    left join standards st on st.role = w.role
),
grouped as (
    select *, 'all' as group_type, 'All workers' as group_name from workers
    union all
    select *, 'team', team from workers
    union all
    select *, 'service_area', service_area from workers where service_area is not null
    union all
    select *, 'role', role from workers
)
select
    la_code,
    period_end,
    group_type,
    group_name,
    count(*) as workers,
    count(*) filter (where case_holder) as case_holders,
    coalesce(sum(fte) filter (where case_holder), 0) as fte,
    coalesce(sum(cases) filter (where case_holder), 0) as cases,
    sum(cases) filter (where case_holder) / nullif(sum(fte) filter (where case_holder), 0) as average,
    min(cases) filter (where case_holder) as min_cases,
    max(cases) filter (where case_holder) as max_cases,
    count(*) filter (where within_standard) as workers_within_standard,
    count(*) filter (where within_standard is not null) as workers_with_standard,
    100.0 * count(*) filter (where within_standard)
        / nullif(count(*) filter (where within_standard is not null), 0) as share_within_standard
from grouped
group by la_code, period_end, group_type, group_name
order by la_code, period_end, group_type, group_name
