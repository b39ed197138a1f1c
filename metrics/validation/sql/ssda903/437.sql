-- 437: REC E2 (died) or E15 (aged 18 or over) but the child has a later episode in the file.
with ordered as (
    select *, lead(decom) over (
        partition by la_code, collection_year, child order by decom
    ) as next_decom
    from ssda903_episodes
    where collection_year between $first_year and $last_year
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ordered
where upper(rec) in ('E2', 'E15') and next_decom is not null
