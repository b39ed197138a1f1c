-- 146: PLACE is not a valid code (2024/25; blank passes). The validator's 2024/25 list has lower-case k3, so K3 is flagged; kept as it is.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year
  and place <> '' and place not in ('A3', 'A4', 'A5', 'A6', 'H5', 'K1', 'K2', 'k3', 'P1', 'P2', 'P3', 'R1', 'R2', 'R3', 'R5', 'S1', 'T0', 'T1', 'T2', 'T3', 'T4', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'Z1')
