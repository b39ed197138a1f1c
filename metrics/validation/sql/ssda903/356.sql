-- 356: DEC before DECOM. The loader refuses such episodes (reported under 356 in dq_findings, kept
-- in ssda903_refused_episodes, unseen by the measures), so they come from there.
select la_code, collection_year, 'episodes' as table_name, source_row, child_key,
       dec as affects_from, decom as affects_to
from (select la_code, collection_year, source_row, child as child_key, decom, dec
      from ssda903_episodes
      union all
      select la_code, collection_year, source_row, child_key, decom, dec
      from ssda903_refused_episodes)
where collection_year between $first_year and $last_year and dec < decom
