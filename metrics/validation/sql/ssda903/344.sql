-- 344: IN_TOUCH DIED or RHOM but ACTIV or ACCOM is not 0.
select distinct la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from ssda903_oc3
where collection_year between $first_year and $last_year
  and in_touch in ('DIED', 'RHOM') and (activ <> '0' or accom <> '0')
