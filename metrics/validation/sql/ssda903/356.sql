-- 356: DEC before DECOM. The loader already leaves such episodes out (reported under 356 in
-- dq_findings), so this only finds rows stored by other means.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       dec as affects_from, decom as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year and dec < decom
