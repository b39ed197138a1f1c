-- 131: IN_TOUCH is not a valid code. The loader refuses such rows (left out of the measures, kept
-- in ssda903_refused_oc3 with the child's id only as its keyed hash), so they come from there.
select la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from ssda903_oc3
where collection_year between $first_year and $last_year
  and in_touch not in ('YES', 'NO', 'DIED', 'REFU', 'NREQ', 'RHOM')
union all
select la_code, collection_year, 'oc3', source_row, child_key, birthday, birthday
from ssda903_refused_oc3
where collection_year between $first_year and $last_year
  and in_touch not in ('YES', 'NO', 'DIED', 'REFU', 'NREQ', 'RHOM')
