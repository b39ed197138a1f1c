-- 302: the child's first episode in the file starts before their date of birth (header DOB).
with firsts as (
    select *, row_number() over (partition by la_code, collection_year, child order by decom) as position
    from ssda903_episodes
    where collection_year between $first_year and $last_year
)
select e.la_code, e.collection_year, 'episodes' as table_name, e.source_row, e.child as child_key,
       e.decom as affects_from, coalesce(e.dec, make_date(e.collection_year, 3, 31)) as affects_to
from firsts e
join ssda903_header h using (la_code, child)
where e.position = 1 and h.dob > e.decom
