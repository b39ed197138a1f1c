-- 361 and 362: police protection (L1, 361) lasting more than 3 days, or an emergency protection order
-- (L2, 362) more than 21 days: $legal_status and $max_days. As the validator: the child's episodes
-- of that legal status in the file, in CHILD and DECOM order, form one spell while each ends (open:
-- the collection year end) on the day the child's next episode starts; every episode of a longer
-- spell is flagged.
with spells as (
    select *, coalesce(lag(dec_filled = next_decom) over (
        partition by la_code, collection_year order by child, decom), false) as continues
    from v903_episodes
    where collection_year between $first_year and $last_year and ls = $legal_status
),
numbered as (
    select *, sum(case when continues then 0 else 1 end) over (
        partition by la_code, collection_year order by child, decom rows unbounded preceding
    ) as spell
    from spells
),
measured as (
    select *, max(dec_filled) over s - min(decom) over s as days
    from numbered
    window s as (partition by la_code, collection_year, child, spell)
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from measured
where days > $max_days
