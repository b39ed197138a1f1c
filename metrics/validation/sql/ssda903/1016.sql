-- 1016: care leaver information for a young person aged 17 (or 18) at the collection year end whose
-- episode in the file ended on or after their 17th (18th) birthday. Ages as the validator counts
-- them: days since birth against years of 365.2425 days.
select distinct la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from v903_oc3_episodes
where collection_year between $first_year and $last_year
  and (in_touch <> '' or activ <> '' or accom <> '') and (
    (make_date(collection_year, 3, 31) - dob >= 6209.1225
     and make_date(collection_year, 3, 31) - dob < 6574.365 and dec >= dob + interval 17 year)
    or (make_date(collection_year, 3, 31) - dob >= 6574.365
        and make_date(collection_year, 3, 31) - dob < 6939.6075 and dec >= dob + interval 18 year)
)
