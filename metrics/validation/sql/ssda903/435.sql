-- 435: RNE P or T (placement changed, legal status not) but LS changed, or the placement (PLACE,
-- PLACE_PROVIDER) is the same as the previous episode's (a blank never equals a blank, as in the
-- validator). The store keeps no PL_POST or URN.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and rne in ('P', 'T')
  and (ls <> previous_ls
       or (nullif(place, '') = nullif(previous_place, '')
           and nullif(place_provider, '') = nullif(previous_provider, '')))
