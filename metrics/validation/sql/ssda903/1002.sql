-- 1002: care leaver information for a young person with no episode in this or last year's
-- episodes file (checked only where both years' episodes are loaded, as the validator needs both).
-- The rows the loader refused count as the validator sees them: a refused OC3 row is checked (its
-- child by keyed hash), and a refused episode is an episode (ssda903_refused_*).
with leavers as (
    select la_code, collection_year, source_row, child, child_key, birthday from ssda903_oc3
    union all
    select la_code, collection_year, source_row, null, child_key, birthday from ssda903_refused_oc3
),
episodes as (
    select la_code, child, child_key, collection_year, decom from ssda903_episodes
    union all
    select la_code, null, child_key, collection_year, decom from ssda903_refused_episodes
)
select distinct la_code, collection_year, 'oc3' as table_name, source_row,
       coalesce(child, child_key) as child_key, birthday as affects_from, birthday as affects_to
from leavers o
where collection_year between $first_year and $last_year
  and (select count(*) from ssda903_coverage c
       where c.la_code = o.la_code and c.table_name = 'episodes'
         and c.collection_year between o.collection_year - 1 and o.collection_year) = 2
  and not exists (
      select 1 from episodes e
      where e.la_code = o.la_code and e.child = o.child
        and (e.collection_year between o.collection_year - 1 and o.collection_year
             or (e.collection_year > o.collection_year
                 and e.decom <= make_date(o.collection_year, 3, 31)))
  )
  and not exists (  -- a refused row's child, by keyed hash
      select 1 from episodes e
      where e.la_code = o.la_code and e.child_key = o.child_key and (e.child is null or o.child is null)
        and (e.collection_year between o.collection_year - 1 and o.collection_year
             or (e.collection_year > o.collection_year
                 and e.decom <= make_date(o.collection_year, 3, 31)))
  )
