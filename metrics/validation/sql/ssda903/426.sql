-- 426: a child with both V3 and V4 episodes in the same file: all their V3 and V4 episodes.
with short_breaks as (
    select *, count(distinct ls) over (partition by la_code, collection_year, child) as kinds
    from ssda903_episodes
    where collection_year between $first_year and $last_year and ls in ('V3', 'V4')
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from short_breaks
where kinds = 2
