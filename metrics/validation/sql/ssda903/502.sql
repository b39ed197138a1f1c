-- 502: last year's file ended with an open episode whose DECOM is not the DECOM of the child's
-- first episode in this year's file.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from v903_first_episodes
where collection_year between $first_year and $last_year
  and has_last and last_dec is null and last_decom <> decom
