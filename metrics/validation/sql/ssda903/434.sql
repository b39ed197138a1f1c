-- 434: RNE L (legal status changed, placement not) but LS is the same as the previous episode's,
-- or the placement (PLACE, PLACE_PROVIDER) changed. The store keeps no PL_POST or URN.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and rne = 'L'
  and (ls = previous_ls or coalesce(place, '') <> coalesce(previous_place, '')
       or coalesce(place_provider, '') <> coalesce(previous_provider, ''))
