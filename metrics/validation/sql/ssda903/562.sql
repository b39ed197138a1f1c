-- 562: the child's first episode in this year's file began before the year but is not the last
-- episode (by DECOM) of last year's file. Checked only where last year's file is loaded.
with -- The child's first episode in the year's file: the file's own rows and rows a later file
-- carried on (open at the year's end), by DECOM.
first_episode as (
    select e.la_code, child, y.collection_year, source_row, decom, dec, rne, ls, cin, place,
           place_provider
    from ssda903_episodes e
    join (select distinct la_code, collection_year from ssda903_last_episodes
          where collection_year between $first_year and $last_year) y
      on y.la_code = e.la_code and y.collection_year <= e.collection_year
     and y.collection_year >= year(e.decom) + (month(e.decom) >= 4)::integer
    qualify row_number() over (partition by e.la_code, y.collection_year, child order by decom) = 1
)
select f.la_code, f.collection_year, 'episodes' as table_name, f.source_row, f.child as child_key,
       f.decom as affects_from, coalesce(f.dec, make_date(f.collection_year, 3, 31)) as affects_to
from first_episode f
left join ssda903_last_episodes l
  on l.la_code = f.la_code and l.child = f.child and l.collection_year = f.collection_year - 1
 and l.decom = f.decom
where f.decom < make_date(f.collection_year - 1, 4, 1) and l.child is null
  and exists (select 1 from ssda903_last_episodes p
              where p.la_code = f.la_code and p.collection_year = f.collection_year - 1)
