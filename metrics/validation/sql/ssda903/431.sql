-- 431: RNE S (started to be looked after) but the previous episode ended on or after this DECOM.
with ordered as (
    select *, lag(dec) over w as previous_dec, row_number() over w as position
    from ssda903_episodes
    where collection_year between $first_year and $last_year
    window w as (partition by la_code, collection_year, child order by decom)
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ordered
where position > 1 and rne = 'S' and decom <= previous_dec
