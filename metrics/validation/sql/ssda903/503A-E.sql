-- 503A-E: a field of the child's first episode in this year's file differs from that of last
-- year's open last episode (blank compared as blank). $field names the field: rne (503A), ls
-- (503B), cin (503C), place (503D, with the validator's exceptions for recoded placement
-- types) or place_provider (503E).
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
join ssda903_last_episodes l
  on l.la_code = f.la_code and l.child = f.child and l.collection_year = f.collection_year - 1
where l.dec is null
  and coalesce(case $field when 'rne' then f.rne when 'ls' then f.ls when 'cin' then f.cin
                     when 'place' then f.place when 'place_provider' then f.place_provider end, '')
   <> coalesce(case $field when 'rne' then l.rne when 'ls' then l.ls when 'cin' then l.cin
                     when 'place' then l.place when 'place_provider' then l.place_provider end, '')
  and not ($field = 'place' and f.collection_year in (2024, 2025) and f.place = 'K3' and l.place = 'H5')
  and not ($field = 'place' and f.collection_year = 2026 and f.place in ('Z11', 'Z12', 'Z13', 'Z14')
           and l.place = 'Z1')
