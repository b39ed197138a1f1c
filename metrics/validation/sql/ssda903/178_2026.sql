-- 178: PLACE_PROVIDER, when given, must be PR0 to PR5 and must not be given for PLACE T0 to T3 or
-- Z11 to Z14 (from 2025/26).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year
  and place_provider <> ''
  and (place_provider not in ('PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5')
       or place in ('T0', 'T1', 'T2', 'T3', 'Z11', 'Z12', 'Z13', 'Z14'))
