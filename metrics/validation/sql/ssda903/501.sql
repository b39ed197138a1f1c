-- 501: an episode starts before the previous episode's DEC.
with ordered as (
    select *, lag(dec) over (
        partition by la_code, collection_year, child order by decom
    ) as previous_dec
    from ssda903_episodes
    where collection_year between $first_year and $last_year
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ordered
where decom < previous_dec
