-- 1002: care leaver information for a young person with no episode in this or last year's
-- episodes file (checked only where both years' episodes are loaded, as the validator needs both).
select distinct la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from ssda903_oc3 o
where collection_year between $first_year and $last_year
  and (select count(*) from ssda903_coverage c
       where c.la_code = o.la_code and c.table_name = 'episodes'
         and c.collection_year between o.collection_year - 1 and o.collection_year) = 2
  and not exists (
      select 1 from ssda903_episodes e
      where e.la_code = o.la_code and e.child = o.child
        and (e.collection_year between o.collection_year - 1 and o.collection_year
             or (e.collection_year > o.collection_year
                 and e.decom <= make_date(o.collection_year, 3, 31)))
  )
