-- 431: RNE S (started to be looked after) but the previous episode ended on or after this DECOM.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and rne = 'S' and decom <= previous_dec
