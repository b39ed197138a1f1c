-- 436: RNE U or B (placement and legal status both changed) but LS is unchanged, or the placement
-- (PLACE, PLACE_PROVIDER) is unchanged. The store keeps no PL_POST or URN.
with ordered as (
    select *, lag(ls) over w as previous_ls, lag(place) over w as previous_place,
           lag(place_provider) over w as previous_provider, row_number() over w as position
    from ssda903_episodes
    where collection_year between $first_year and $last_year
    window w as (partition by la_code, collection_year, child order by decom)
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ordered
where position > 1 and rne in ('U', 'B')
  and (ls = previous_ls
       or (coalesce(place, '') = coalesce(previous_place, '')
           and coalesce(place_provider, '') = coalesce(previous_provider, '')))
