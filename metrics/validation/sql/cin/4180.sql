-- 4180: the child's sex code is missing or not in the year's list. $field names the item: to
-- 2023/24 gender_current (GenderCurrent: 1, 2, 0 or 9), from 2024/25 sex (Sex: M, F or U); $codes
-- is the year's list, comma-separated. The store keeps the child's ChildIdentifiers on each of its
-- referrals: each child is checked once per census, its row the line of its first referral.
with children as (
    select la_code, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year,
           child_id, min(source_row) as source_row,
           any_value(case $field when 'sex' then sex when 'gender_current' then gender_current end)
               as code,
           min(referral_date) as first_referral, reference_date
    from cin_referrals_versions
    group by la_code, reference_date, child_id
)
select la_code, collection_year, 'children' as table_name, source_row, child_id as child_key,
       first_referral as affects_from, reference_date as affects_to
from children
where collection_year between $first_year and $last_year
  and not list_contains(string_split($codes, ','), coalesce(code, ''))
