-- 389: REC E7 (transferred to adult social care) before the child's 16th birthday (or no DOB).
select e.la_code, e.collection_year, 'episodes' as table_name, e.source_row, e.child as child_key,
       e.decom as affects_from, coalesce(e.dec, make_date(e.collection_year, 3, 31)) as affects_to
from ssda903_episodes e
left join ssda903_header h using (la_code, child)
where e.collection_year between $first_year and $last_year
  and upper(e.rec) = 'E7' and not coalesce(h.dob + interval 16 year <= e.dec, false)
