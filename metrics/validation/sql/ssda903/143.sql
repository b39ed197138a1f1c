-- 143: RNE is not a valid code (blank passes, as in the validator). The loader refuses such
-- episodes (kept in ssda903_refused_episodes, unseen by the measures), so they come from there.
select la_code, collection_year, 'episodes' as table_name, source_row, child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from (select la_code, collection_year, source_row, child as child_key, decom, dec, rne
      from ssda903_episodes
      union all
      select la_code, collection_year, source_row, child_key, decom, dec, rne
      from ssda903_refused_episodes)
where collection_year between $first_year and $last_year
  and rne <> '' and rne not in ('S', 'P', 'L', 'T', 'U', 'B')
