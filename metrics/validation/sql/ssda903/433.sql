-- 433: RNE P, L, T, U or B (a continuation) but DECOM is not the previous episode's DEC.
-- Previous = the child's episode before it in the same file (collection year), by DECOM.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and upper(rne) in ('P', 'L', 'T', 'U', 'B')
  and (previous_dec is null or previous_dec <> decom)
