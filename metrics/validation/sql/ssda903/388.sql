-- 388: REC X1 (new episode begins) needs a next episode starting on DEC; an episode that ends with
-- another starting that day must be X1; the child's last episode in the file must not end X1.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and dec is not null and (
      (next_decom is not null and rec = 'X1' and dec <> next_decom)
      or (next_decom is not null and rec <> 'X1' and rec <> '' and dec = next_decom)
      or (next_decom is null and rec = 'X1')
  )
