-- Child-level tables from the CIN census (see loaders/cin_census.py for keys and meaning).
create table if not exists cin_census_returns (
    la_code varchar not null,
    reference_date date not null,
    census_year integer not null,      -- reporting year end: 2022 = 1 April 2021 to 31 March 2022
    coverage_start date not null,      -- 1 April of the census year
    source_file varchar,
    batch_id varchar not null
);

create table if not exists cin_referrals (
    la_code varchar not null,
    child_id varchar not null,
    referral_date date not null,
    closure_date date,
    reason_for_closure varchar,
    referral_source varchar,
    primary_need_code varchar,
    referral_nfa boolean not null,
    referral_nfa_code varchar,         -- ReferralNFA as given
    transfer_icpc_date date,           -- CINdetails DateOfInitialCPC: children transferring in
    assessment_count integer not null,
    section47_count integer not null,
    cp_plan_count integer not null,
    sex varchar,                       -- ChildIdentifiers Sex (2024/25 on), as given
    gender_current varchar,            -- ChildIdentifiers GenderCurrent (before 2024/25), as given
    reference_date date not null,
    source_row integer                 -- the XML line of the record in its file
);

create table if not exists cin_assessments (
    la_code varchar not null,
    child_id varchar not null,
    referral_date date,
    assessment_start_date date not null,
    assessment_authorisation_date date,
    reference_date date not null,
    source_row integer                 -- the XML line of the record in its file
);

create table if not exists cin_section47 (
    la_code varchar not null,
    child_id varchar not null,
    referral_date date,
    s47_start_date date not null,
    icpc_date date,
    icpc_not_required boolean not null,
    reference_date date not null,
    source_row integer                 -- the XML line of the record in its file
);

create table if not exists cin_cp_plans (
    la_code varchar not null,
    child_id varchar not null,
    referral_date date,
    plan_start_date date not null,
    plan_end_date date,
    initial_category varchar,
    latest_category varchar,
    number_of_previous_plans integer,  -- null when the file's value was not a whole number
    reference_date date not null,
    source_row integer                 -- the XML line of the record in its file
);

create table if not exists cin_cp_reviews (
    la_code varchar not null,
    child_id varchar not null,
    plan_start_date date not null,
    review_date date not null,
    reference_date date not null,
    source_row integer                 -- the XML line of the record in its file
);

-- CINPlanDates, kept only as each census sent them (for the validation rules; no measure reads them).
create table if not exists cin_plan_dates_versions (
    la_code varchar not null,
    child_id varchar not null,
    referral_date date,
    cin_plan_start_date date not null,
    cin_plan_end_date date,
    reference_date date not null,
    source_row integer                 -- the XML line of the record in its file
);

-- Every census's rows, before the newest version per key is chosen (see loaders/cin_census.py).
create table if not exists cin_referrals_versions as from cin_referrals limit 0;
create table if not exists cin_assessments_versions as from cin_assessments limit 0;
create table if not exists cin_section47_versions as from cin_section47 limit 0;
create table if not exists cin_cp_plans_versions as from cin_cp_plans limit 0;
create table if not exists cin_cp_reviews_versions as from cin_cp_reviews limit 0;

-- Stores made before these columns were kept gain them (null for the rows already held).
alter table cin_referrals add column if not exists referral_nfa_code varchar;
alter table cin_referrals_versions add column if not exists referral_nfa_code varchar;
alter table cin_referrals add column if not exists sex varchar;
alter table cin_referrals_versions add column if not exists sex varchar;
alter table cin_referrals add column if not exists gender_current varchar;
alter table cin_referrals_versions add column if not exists gender_current varchar;
alter table cin_referrals add column if not exists source_row integer;
alter table cin_referrals_versions add column if not exists source_row integer;
alter table cin_assessments add column if not exists source_row integer;
alter table cin_assessments_versions add column if not exists source_row integer;
alter table cin_section47 add column if not exists source_row integer;
alter table cin_section47_versions add column if not exists source_row integer;
alter table cin_cp_plans add column if not exists source_row integer;
alter table cin_cp_plans_versions add column if not exists source_row integer;
alter table cin_cp_reviews add column if not exists source_row integer;
alter table cin_cp_reviews_versions add column if not exists source_row integer;
