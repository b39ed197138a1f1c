-- 146: PLACE is not a valid code (from 2025/26; blank passes).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year
  and place <> '' and place not in ('A3', 'A4', 'A5', 'A6', 'K1', 'K2', 'K3', 'P1', 'P3', 'R1', 'R2', 'R3', 'R5', 'S1', 'T0', 'T1', 'T2', 'T3', 'T4', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'Z11', 'Z12', 'Z13', 'Z14')
