-- 8715: a section 47 enquiry's initial child protection conference outside the census year of the
-- census that sent it (the day after the reference date a year before, to the reference date).
select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year, 'section47' as table_name, source_row,
       child_id as child_key, s47_start_date as affects_from, icpc_date as affects_to
from cin_section47_versions
where year(reference_date) + (month(reference_date) >= 4)::integer between $first_year and $last_year
  and (icpc_date < reference_date - interval 1 year + interval 1 day or icpc_date > reference_date)
