-- 384: a short break legal status (V3, V4) in a long-term foster placement (PLACE U1, U4).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year
  and ls in ('V3', 'V4') and place in ('U1', 'U4')
