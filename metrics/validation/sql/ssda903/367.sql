-- 367: more than 75 days of short breaks (LS V3) in the collection year: each V3 episode's days
-- within the year (DECOM from 1 April, DEC, or when open or later, 31 March) summed per child;
-- the child's V3 episodes of more than 0 days are flagged.
with clipped as (
    select *, least(coalesce(dec, make_date(collection_year, 3, 31)), make_date(collection_year, 3, 31))
              - greatest(decom, make_date(collection_year - 1, 4, 1)) as days
    from ssda903_episodes
    where collection_year between $first_year and $last_year and ls = 'V3'
),
counted as (
    select *, sum(days) over (partition by la_code, collection_year, child) as year_days
    from clipped
    where days > 0
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from counted
where year_days > 75
