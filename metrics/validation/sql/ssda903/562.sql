-- 562: the child's first episode in this year's file began before the year but is not the last
-- episode (by DECOM) of last year's file. Checked only where last year's file is loaded.
select f.la_code, f.collection_year, 'episodes' as table_name, f.source_row, f.child as child_key,
       f.decom as affects_from, coalesce(f.dec, make_date(f.collection_year, 3, 31)) as affects_to
from v903_first_episodes f
left join ssda903_last_episodes l
  on l.la_code = f.la_code and l.child = f.child and l.collection_year = f.collection_year - 1
 and l.decom = f.decom
where f.collection_year between $first_year and $last_year
  and f.decom < make_date(f.collection_year - 1, 4, 1) and l.child is null
  and exists (select 1 from ssda903_last_episodes p
              where p.la_code = f.la_code and p.collection_year = f.collection_year - 1)
