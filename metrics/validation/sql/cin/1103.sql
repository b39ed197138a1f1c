-- 1103: an assessment starts before its referral (CINreferralDate of the enclosing CINdetails).
-- Each census's rows are checked as that census sent them (the _versions table), in the
-- collection year of its reference date (31 March 2024 is 2024, the 2023/24 census).
select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year, 'assessments' as table_name, source_row,
       child_id as child_key, assessment_start_date as affects_from,
       coalesce(assessment_authorisation_date, reference_date) as affects_to
from cin_assessments_versions
where year(reference_date) + (month(reference_date) >= 4)::integer between $first_year and $last_year
  and assessment_start_date < referral_date
