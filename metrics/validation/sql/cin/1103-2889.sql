-- 1103 and 2889: a record starts before its referral (CINreferralDate of the enclosing CINdetails).
-- $records is the records' versions table, $start and $end its start and end date columns,
-- $table_name what a finding calls the records: cin_assessments_versions, assessment_start_date,
-- assessment_authorisation_date, assessments (1103) or cin_section47_versions, s47_start_date,
-- icpc_date, section47 (2889). Each census's rows are checked as that census sent them (the
-- _versions table), in the collection year of its reference date (31 March 2024 is 2024, the
-- 2023/24 census).
with records as (
    select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year,
           reference_date, referral_date, source_row, child_id,
           columns(lambda c: c = $start) as starts, columns(lambda c: c = $end) as ends
    from query_table($records)
)
select la_code, collection_year, $table_name as table_name, source_row, child_id as child_key,
       starts as affects_from, coalesce(ends, reference_date) as affects_to
from records
where collection_year between $first_year and $last_year and starts < referral_date
