-- 4013 and 8930: a plan's end date outside the census year of the census that sent it (the day
-- after the reference date a year before, to the reference date). $plans is the plans' versions
-- table, $start and $end its start and end date columns, $table_name what a finding calls the
-- records: cin_plan_dates_versions, cin_plan_start_date, cin_plan_end_date, cin_plans (4013,
-- CINPlanDates CINPlanEndDate) or cin_cp_plans_versions, plan_start_date, plan_end_date, cp_plans
-- (8930, CPPendDate).
with plans as (
    select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year,
           reference_date, source_row, child_id,
           columns(lambda c: c = $start) as plan_start, columns(lambda c: c = $end) as plan_end
    from query_table($plans)
)
select la_code, collection_year, $table_name as table_name, source_row, child_id as child_key,
       plan_start as affects_from, plan_end as affects_to
from plans
where collection_year between $first_year and $last_year
  and (plan_end < reference_date - interval 1 year + interval 1 day or plan_end > reference_date)
