-- 8640: a referral's ReasonForClosure is given but not RC1 to RC9 (blank passes).
with referrals as (
    select *, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year
    from cin_referrals_versions
)
select la_code, collection_year, 'referrals' as table_name, source_row, child_id as child_key,
       referral_date as affects_from, coalesce(closure_date, reference_date) as affects_to
from referrals
where collection_year between $first_year and $last_year
  and reason_for_closure not in ('RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9')
