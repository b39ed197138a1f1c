-- 143: RNE is not a valid code (blank passes, as in the validator; the loader leaves invalid rows out).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year
  and rne <> '' and rne not in ('S', 'P', 'L', 'T', 'U', 'B')
