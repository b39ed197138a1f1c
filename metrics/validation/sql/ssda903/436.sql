-- 436: RNE U or B (placement and legal status both changed) but LS is unchanged, or the placement
-- (PLACE, PL_POST, URN, PLACE_PROVIDER) is unchanged; blank equals blank, as in the validator.
-- PL_POST and URN are compared by their keyed hashes; postcodes only within one load.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and rne in ('U', 'B')
  and (ls = previous_ls
       or (coalesce(place, '') = coalesce(previous_place, '')
           and coalesce(place_provider, '') = coalesce(previous_provider, '')
           and coalesce(urn_key, '') = coalesce(previous_urn_key, '')
           and same_load_as_previous and coalesce(pl_post_key, '') = coalesce(previous_pl_post_key, '')))
