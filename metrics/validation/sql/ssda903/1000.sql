-- 1000: care leaver information for a young person whose episode in this or last year's file
-- ended with REC E2 (died).
select distinct la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from ssda903_oc3 o
where collection_year between $first_year and $last_year
  and exists (
      select 1 from ssda903_episodes e
      where e.la_code = o.la_code and e.child = o.child and upper(e.rec) = 'E2'
        and e.collection_year between o.collection_year - 1 and o.collection_year
  )
