-- 357: the child's first episode in the file starts in the collection year but RNE is not S.
with ordered as (
    select *, row_number() over (
        partition by la_code, collection_year, child order by decom
    ) as position
    from ssda903_episodes
    where collection_year between $first_year and $last_year
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ordered
where position = 1 and decom >= make_date(collection_year - 1, 4, 1) and rne <> 'S'
