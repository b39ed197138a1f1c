-- 144: LS is not a valid code (blank passes, as in the validator). The loader refuses such
-- episodes (kept in ssda903_refused_episodes, unseen by the measures), so they come from there.
select la_code, collection_year, 'episodes' as table_name, source_row, child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from (select la_code, collection_year, source_row, child as child_key, decom, dec, ls
      from ssda903_episodes
      union all
      select la_code, collection_year, source_row, child_key, decom, dec, ls
      from ssda903_refused_episodes)
where collection_year between $first_year and $last_year
  and ls <> '' and ls not in ('C1', 'C2', 'D1', 'E1', 'V2', 'V3', 'V4', 'J1', 'J2', 'J3', 'L1', 'L2', 'L3')
