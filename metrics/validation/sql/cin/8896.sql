-- 8896: a referral with two or more open (not authorised) assessments in one census. Every
-- assessment of that referral is flagged, as the validator flags them.
with assessments as (
    select *, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year,
           count(*) filter (where assessment_authorisation_date is null) over (
               partition by la_code, reference_date, child_id, referral_date
           ) as open_assessments
    from cin_assessments_versions
)
select la_code, collection_year, 'assessments' as table_name, source_row, child_id as child_key,
       assessment_start_date as affects_from,
       coalesce(assessment_authorisation_date, reference_date) as affects_to
from assessments
where collection_year between $first_year and $last_year and open_assessments > 1
