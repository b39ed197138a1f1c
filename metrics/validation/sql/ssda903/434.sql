-- 434: RNE L (legal status changed, placement not) but LS is the same as the previous episode's,
-- or the placement (PLACE, PL_POST, URN, PLACE_PROVIDER) changed; blank equals blank, as in the
-- validator. PL_POST and URN are compared by their keyed hashes; postcodes only within one load.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and rne = 'L'
  and (ls = previous_ls or coalesce(place, '') <> coalesce(previous_place, '')
       or coalesce(place_provider, '') <> coalesce(previous_provider, '')
       or coalesce(urn_key, '') <> coalesce(previous_urn_key, '')
       or (same_load_as_previous and coalesce(pl_post_key, '') <> coalesce(previous_pl_post_key, '')))
