-- 1011: care leaver information for a young person whose last episode in the file ended with REC
-- E3 (care transferred to another local authority).
with last_episode as (
    select *, row_number() over (
        partition by la_code, collection_year, source_row order by decom desc
    ) as position
    from v903_oc3_episodes
    where collection_year between $first_year and $last_year
)
select distinct la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from last_episode
where position = 1 and rec = 'E3' and (in_touch <> '' or activ <> '' or accom <> '')
