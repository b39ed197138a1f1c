-- 8568: a referral's ReferralNFA is missing or not 1, 0, false or true (in any case).
-- Stores loaded before the raw code was kept hold none: their referrals are not checked.
with referrals as (
    select *, year(reference_date) + (month(reference_date) >= 4)::integer as collection_year
    from cin_referrals_versions
)
select la_code, collection_year, 'referrals' as table_name, source_row, child_id as child_key,
       referral_date as affects_from, coalesce(closure_date, reference_date) as affects_to
from referrals
where collection_year between $first_year and $last_year and source_row is not null
  and coalesce(lower(referral_nfa_code), '') not in ('1', '0', 'false', 'true')
