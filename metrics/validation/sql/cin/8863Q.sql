-- 8863Q: an assessment starts while another assessment of the same referral is ongoing (started
-- on or before it and not authorised before it started, or not authorised by the reference
-- date). Both assessments of each such pair are flagged, as the validator flags them. Within one
-- census a child's assessments have distinct start dates (the loader's key), so a pair is two
-- assessments; the referral is the child's CINreferralDate in that census.
with assessments as (
    select *, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year
    from cin_assessments_versions
),
pairs as (
    select a.source_row as later_row, b.source_row as earlier_row, a.la_code, a.reference_date
    from assessments a
    join assessments b
      on b.la_code = a.la_code and b.child_id = a.child_id and b.reference_date = a.reference_date
     and b.referral_date is not distinct from a.referral_date
     and b.assessment_start_date < a.assessment_start_date
    where a.collection_year between $first_year and $last_year
      and a.assessment_start_date <= coalesce(b.assessment_authorisation_date, a.reference_date)
),
flagged as (
    select la_code, reference_date, later_row as source_row from pairs
    union
    select la_code, reference_date, earlier_row from pairs
)
select a.la_code, a.collection_year, 'assessments' as table_name, a.source_row,
       a.child_id as child_key, a.assessment_start_date as affects_from,
       coalesce(a.assessment_authorisation_date, a.reference_date) as affects_to
from assessments a
join flagged f using (la_code, reference_date, source_row)
