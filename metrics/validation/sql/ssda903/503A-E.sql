-- 503A-E: a field of the child's first episode in this year's file differs from that of last
-- year's open last episode (blank compared as blank). $field names the field: rne (503A), ls
-- (503B), cin (503C), place (503D, with the validator's exceptions for recoded placement
-- types) or place_provider (503E).
select f.la_code, f.collection_year, 'episodes' as table_name, f.source_row, f.child as child_key,
       f.decom as affects_from, coalesce(f.dec, make_date(f.collection_year, 3, 31)) as affects_to
from v903_first_episodes f
join ssda903_last_episodes l
  on l.la_code = f.la_code and l.child = f.child and l.collection_year = f.collection_year - 1
where f.collection_year between $first_year and $last_year and l.dec is null
  and coalesce(case $field when 'rne' then f.rne when 'ls' then f.ls when 'cin' then f.cin
                     when 'place' then f.place when 'place_provider' then f.place_provider end, '')
   <> coalesce(case $field when 'rne' then l.rne when 'ls' then l.ls when 'cin' then l.cin
                     when 'place' then l.place when 'place_provider' then l.place_provider end, '')
  and not ($field = 'place' and f.collection_year in (2024, 2025) and f.place = 'K3' and l.place = 'H5')
  and not ($field = 'place' and f.collection_year = 2026 and f.place in ('Z11', 'Z12', 'Z13', 'Z14')
           and l.place = 'Z1')
