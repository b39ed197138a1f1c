-- 131: IN_TOUCH is not a valid code. The loader leaves such rows out, so this finds only rows stored by other means.
select la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from ssda903_oc3
where collection_year between $first_year and $last_year
  and in_touch not in ('YES', 'NO', 'DIED', 'REFU', 'NREQ', 'RHOM')
