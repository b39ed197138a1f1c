-- 8696: an assessment's authorisation (end) date outside the census year of the census that
-- sent it: the year runs from the day after the reference date a year before to the reference
-- date (1 April 2023 to 31 March 2024 for a 31 March 2024 census).
select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year, 'assessments' as table_name, source_row,
       child_id as child_key, assessment_start_date as affects_from,
       assessment_authorisation_date as affects_to
from cin_assessments_versions
where year(reference_date) + (month(reference_date) >= 4)::integer between $first_year and $last_year
  and (assessment_authorisation_date < reference_date - interval 1 year + interval 1 day
       or assessment_authorisation_date > reference_date)
