-- Case holders (FTE above 0, at least one case) on the LA's latest caseload list in the month of
-- $period_end: role, fte and cases only (no worker ids).
with latest as (
    select max(snapshot_date) as snapshot_date
    from caseload_workers
    where la_code = $la and last_day(snapshot_date) = last_day($period_end::date)
)
select w.role, w.fte, w.cases
from caseload_workers w
join latest using (snapshot_date)
where w.la_code = $la and w.fte > 0 and w.cases > 0
order by w.role, w.cases
