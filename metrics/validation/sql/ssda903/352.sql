-- 352: RNE S (started to be looked after) on or after the child's 18th birthday.
select e.la_code, e.collection_year, 'episodes' as table_name, e.source_row, e.child as child_key,
       e.decom as affects_from, coalesce(e.dec, make_date(e.collection_year, 3, 31)) as affects_to
from ssda903_episodes e
left join ssda903_header h using (la_code, child)
where e.collection_year between $first_year and $last_year
  and upper(e.rne) = 'S' and h.dob + interval 18 year <= e.decom
