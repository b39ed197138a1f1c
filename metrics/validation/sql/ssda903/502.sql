-- 502: last year's file ended with an open episode whose DECOM is not the DECOM of the child's
-- first episode in this year's file.
select f.la_code, f.collection_year, 'episodes' as table_name, f.source_row, f.child as child_key,
       f.decom as affects_from, coalesce(f.dec, make_date(f.collection_year, 3, 31)) as affects_to
from v903_first_episodes f
join ssda903_last_episodes l
  on l.la_code = f.la_code and l.child = f.child and l.collection_year = f.collection_year - 1
where f.collection_year between $first_year and $last_year and l.dec is null and l.decom <> f.decom
