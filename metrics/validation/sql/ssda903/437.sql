-- 437: REC E2 (died) or E15 (aged 18 or over) but the child has a later episode in the file.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and upper(rec) in ('E2', 'E15') and next_decom is not null
