-- 2889: a section 47 enquiry starts before its referral. Each census's rows as it sent them.
select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year, 'section47' as table_name, source_row,
       child_id as child_key, s47_start_date as affects_from,
       coalesce(icpc_date, reference_date) as affects_to
from cin_section47_versions
where year(reference_date) + (month(reference_date) >= 4)::integer between $first_year and $last_year
  and s47_start_date < referral_date
