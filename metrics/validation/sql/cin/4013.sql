-- 4013: a CIN plan's end date (CINPlanDates CINPlanEndDate) outside the census year of the census
-- that sent it (the day after the reference date a year before, to the reference date).
select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year, 'cin_plans' as table_name, source_row,
       child_id as child_key, cin_plan_start_date as affects_from, cin_plan_end_date as affects_to
from cin_plan_dates_versions
where year(reference_date) + (month(reference_date) >= 4)::integer between $first_year and $last_year
  and (cin_plan_end_date < reference_date - interval 1 year + interval 1 day
       or cin_plan_end_date > reference_date)
