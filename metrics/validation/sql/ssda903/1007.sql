-- 1007: care leaver information for a 17 or 18 year old (at the collection year end) who was
-- looked after on their birthday (an episode with DECOM on or before it and DEC after it).
select distinct la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from v903_oc3_episodes
where collection_year between $first_year and $last_year
  and dob + interval 17 year <= make_date(collection_year, 3, 31)
  and dob + interval 19 year > make_date(collection_year, 3, 31)
  and decom <= birthday and dec > birthday and (in_touch <> '' or activ <> '' or accom <> '')
