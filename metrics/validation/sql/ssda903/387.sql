-- 387: REC E5 or E6 (independent living) with DEC before the child's 14th birthday (or no DOB).
select e.la_code, e.collection_year, 'episodes' as table_name, e.source_row, e.child as child_key,
       e.decom as affects_from, coalesce(e.dec, make_date(e.collection_year, 3, 31)) as affects_to
from ssda903_episodes e
left join ssda903_header h using (la_code, child)
where e.collection_year between $first_year and $last_year
  and upper(e.rec) in ('E5', 'E6') and e.dec is not null
  and not coalesce(h.dob + interval 14 year <= e.dec, false)
