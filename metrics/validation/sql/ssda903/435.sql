-- 435: RNE P or T (placement changed, legal status not) but LS changed, or the placement (PLACE,
-- PL_POST, URN, PLACE_PROVIDER) is the same as the previous episode's: a blank never equals a
-- blank, as in the validator. PL_POST and URN are compared by their keyed hashes; postcodes only
-- within one load.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and rne in ('P', 'T')
  and (ls <> previous_ls
       or (nullif(place, '') = nullif(previous_place, '')
           and nullif(place_provider, '') = nullif(previous_provider, '')
           and urn_key = previous_urn_key
           and same_load_as_previous and pl_post_key = previous_pl_post_key))
