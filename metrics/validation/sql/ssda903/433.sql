-- 433: RNE P, L, T, U or B (a continuation) but DECOM is not the previous episode's DEC.
-- Previous = the child's episode before it in the same file (collection year), by DECOM then DEC.
with ordered as (
    select *, lag(dec) over w as previous_dec, row_number() over w as position
    from ssda903_episodes
    where collection_year between $first_year and $last_year
    window w as (partition by la_code, collection_year, child order by decom, dec nulls last)
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ordered
where position > 1 and upper(rne) in ('P', 'L', 'T', 'U', 'B')
  and (previous_dec is null or previous_dec <> decom)
