-- 363 and 364: a child assessment order (L3, 363) lasting more than 7 days in all, or PACE detention
-- (J2, 364) more than 21 days: $legal_status and $max_days. As the validator: the file's episodes
-- of that legal status in their order in the file; a spell continues while the child is the same
-- and DECOM is not after the previous episode's DEC (open: the collection year end); the spell's
-- days are the sum of its episodes' DEC minus DECOM. Every episode of a longer spell is flagged.
with eps as (
    select *, coalesce(dec, make_date(collection_year, 3, 31)) as dec_filled
    from ssda903_episodes
    where collection_year between $first_year and $last_year and ls = $legal_status
),
starts as (
    select *, coalesce(
        decom > lag(dec_filled) over f or child <> lag(child) over f, true
    ) as new_spell
    from eps
    window f as (partition by la_code, collection_year order by source_row)
),
numbered as (
    select *, sum(case when new_spell then 1 else 0 end) over (
        partition by la_code, collection_year order by source_row rows unbounded preceding
    ) as spell
    from starts
),
measured as (
    select *, sum(dec_filled - decom) over (partition by la_code, collection_year, spell) as days
    from numbered
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from measured
where days > $max_days
