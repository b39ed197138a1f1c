-- 8839: a referral with two or more open section 47 enquiries in one census (no initial child
-- protection conference date and not marked ICPC not required). As the validator does, every
-- enquiry of that referral without a conference date is flagged, including one marked not required.
with enquiries as (
    select *, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year,
           count(*) filter (where icpc_date is null and not icpc_not_required) over (
               partition by la_code, reference_date, child_id, referral_date
           ) as open_enquiries
    from cin_section47_versions
)
select la_code, collection_year, 'section47' as table_name, source_row, child_id as child_key,
       s47_start_date as affects_from, reference_date as affects_to
from enquiries
where collection_year between $first_year and $last_year and open_enquiries > 1
  and icpc_date is null
