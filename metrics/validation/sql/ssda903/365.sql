-- 365: a short break (LS V3) episode lasting more than 17 days (open: to the collection year end).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year and ls = 'V3'
  and coalesce(dec, make_date(collection_year, 3, 31)) > decom + 17
