-- 132: ACTIV is not a valid code (blank included).
select la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from ssda903_oc3
where collection_year between $first_year and $last_year
  and activ not in ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5', 'G4', 'G5', 'G6', '0')
