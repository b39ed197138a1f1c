-- 562: the child's first episode in this year's file began before the year but is not the last
-- episode (by DECOM) of last year's file. Checked only where last year's file is loaded.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from v903_first_episodes
where collection_year between $first_year and $last_year
  and decom < make_date(collection_year - 1, 4, 1) and last_year_loaded
  and not (has_last and last_decom = decom)
