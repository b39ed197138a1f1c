-- 8730: a child protection plan without its number of previous plans. The store holds the number
-- only when the file's value is a whole number (0 or more), so a missing, negative or non-numeric
-- NumberOfPreviousCPP is null here.
select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year, 'cp_plans' as table_name, source_row,
       child_id as child_key, plan_start_date as affects_from,
       coalesce(plan_end_date, reference_date) as affects_to
from cin_cp_plans_versions
where year(reference_date) + (month(reference_date) >= 4)::integer between $first_year and $last_year
  and number_of_previous_plans is null
