-- 1007: care leaver information for a 17 or 18 year old (at the collection year end) who was
-- looked after on their birthday (an episode with DECOM on or before it and DEC after it).
with -- The year's episodes file: its own rows, and rows a later year's file carried on (open at its end).
year_file as (
    select o.la_code, o.collection_year, o.source_row, o.child, o.dob, o.birthday, o.in_touch,
           o.activ, o.accom, e.decom, e.dec, e.rec
    from ssda903_oc3 o
    join ssda903_episodes e on e.la_code = o.la_code and e.child = o.child
     and (e.collection_year = o.collection_year
          or (e.collection_year > o.collection_year and e.decom <= make_date(o.collection_year, 3, 31)))
    where o.collection_year between $first_year and $last_year
)
select distinct la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from year_file
where dob + interval 17 year <= make_date(collection_year, 3, 31)
  and dob + interval 19 year > make_date(collection_year, 3, 31)
  and decom <= birthday and dec > birthday and (in_touch <> '' or activ <> '' or accom <> '')
