-- The dashboard store. Created by loaders.store on first write; every statement is idempotent.

create table if not exists settings (
    key varchar primary key,
    value varchar not null
);

-- One row per file offered to an ingest, whatever its outcome.
create table if not exists load_log (
    batch_id varchar not null,
    file_name varchar not null,
    sha256 varchar,
    kind varchar,
    la_code varchar,
    rows bigint,
    loaded_at timestamp not null,
    outcome varchar not null,          -- loaded, unchanged (same file already loaded), failed, skipped
    messages varchar                   -- newline-separated, never child-level values
);

-- Every value ever stored for a KPI, with the batch that brought it. The current value is the
-- newest version for the key (see view kpi); a value computed from child-level records is preferred
-- to one typed into a performance workbook. A newer file supersedes; the old row stays as history.
create table if not exists kpi_history (
    la_code varchar not null,
    indicator_id varchar not null,
    period_end date not null,
    period_type varchar not null,      -- month, ytd, rolling_12m, year, snapshot
    numerator double,
    denominator double,
    value double,
    status varchar not null default '', -- blank, or c, k, u, x, z (suppressed or missing)
    origin varchar not null,           -- computed (from child-level records) or reported (typed figures)
    source varchar not null,           -- performance workbook, SSDA903, CIN census, caseload list
    source_file varchar,
    batch_id varchar not null,
    recorded_at timestamp not null,
    version bigint not null            -- increases with every ingest; the highest is current
);

-- Indicators found in a workbook that are not in the catalogue (kept under their own name).
create table if not exists local_indicators (
    la_code varchar not null,
    indicator_id varchar not null,
    name varchar not null,
    unit varchar,
    polarity varchar,
    source_file varchar,
    primary key (la_code, indicator_id)
);

-- Targets per LA, indicator and reporting year (year_end 2024 = 2023/24).
create table if not exists targets (
    la_code varchar not null,
    indicator_id varchar not null,
    year_end integer not null,
    target double not null,
    tolerance double,
    source_file varchar,
    batch_id varchar not null,
    primary key (la_code, indicator_id, year_end)
);

-- Non-fatal data-quality findings from loaders and metrics (never child-level values).
create table if not exists dq_findings (
    batch_id varchar not null,
    la_code varchar,
    source_file varchar,
    kind varchar,
    rule varchar not null,
    severity varchar not null,         -- error, warning, info
    location varchar,
    period_end date,
    affected_rows bigint,
    message varchar not null
);

create or replace view kpi as
select * exclude (rn)
from (
    select h.*, row_number() over (
        partition by la_code, indicator_id, period_end, period_type
        order by (origin = 'computed') desc, version desc
    ) as rn
    from kpi_history h
)
where rn = 1;

-- Published benchmarks set beside each LA's values, one row per LA, indicator, published year and
-- statistical neighbour model (filled by metrics.benchmarks after every ingest).
create table if not exists benchmark_summary (
    la_code varchar not null,
    indicator_id varchar not null,
    year integer not null,             -- published year (time_period: 2024 = 2023/24)
    sn_model varchar not null,         -- 2021 or 2025
    la_value double,
    la_status varchar,
    england double,
    region_name varchar,
    region double,
    sn_mean double,
    sn_median double,
    sn_count integer,
    quartile varchar,                  -- A (best) to D, blank where the indicator has none
    rank integer,                      -- 1 = best, ties take the lower rank
    rank_of integer,
    direction varchar,                 -- improved, declined, no change, or blank
    footnote varchar,
    reference_date date                -- the date the published figure is at: 31 March of year (30 Sept for workforce)
);

-- ONS mid-year population estimates of children aged 0-17 (denominator of rates per 10,000).
create table if not exists population (
    la_code varchar not null,
    year integer not null,             -- mid-year: the estimate is for 30 June of this year
    population_0_17 double not null,
    source_file varchar,
    primary key (la_code, year)
);

-- Every population estimate loaded, by source kind; `population` holds, per area and year, the
-- one chosen by loaders.population.SOURCE_PRECEDENCE (an LA's own ONS file, then the published
-- ONS file, then a generated one), whatever order the files were loaded in.
create table if not exists population_estimates (
    la_code varchar not null,
    year integer not null,
    population_0_17 double not null,
    source_kind varchar not null,      -- la_ons, published_ons, generated, earlier_load
    source_file varchar
);

-- What the last recompute saw of each input table, per LA and month of the row's earliest relevant
-- date, so the next recompute can redo only the month ends an ingest could have changed.
create table if not exists input_fingerprints (
    table_name varchar not null,
    la_code varchar not null,
    month date not null,
    rows bigint not null,
    fingerprint hugeint not null
);

-- The month ends a recompute is redoing: per LA and measure family (metrics.scope.FAMILIES; '*'
-- for every family), every month end on or after from_date. Empty means everything (the state
-- outside a recompute); when it is not, a family redoes only the LAs it has rows for. Measure
-- queries filter their month-end grids through it.
create table if not exists recompute_scope (
    la_code varchar not null,
    from_date date not null,
    family varchar not null default '*'
);
alter table recompute_scope add column if not exists family varchar default '*';

-- DfE validation rule findings (metrics.validation, rewritten after every ingest): one row per rule
-- code, LA and collection year; counts only, never a child's id, date or postcode.
create table if not exists validation_findings (
    rule_code varchar not null,
    return_name varchar not null,      -- ssda903 or cin
    la_code varchar not null,
    collection_year integer not null,
    severity varchar not null,         -- error or query (the DfE's)
    message varchar not null,          -- the DfE's wording
    table_name varchar not null,
    column_names varchar[] not null,
    first_row integer,                 -- first flagged row in the LA's file, when the store keeps it
    rows bigint not null,
    children bigint not null,
    indicators varchar[] not null,
    first_month date,
    last_month date,
    computed_at timestamp not null
);

-- Per finding, the KPI month ends whose value of an indicator the flagged records can change.
create table if not exists validation_finding_months (
    rule_code varchar not null,
    la_code varchar not null,
    indicator_id varchar not null,
    month_end date not null,
    rows bigint not null,
    children bigint not null
);

-- Audit log (loaders.audit): who loaded, exported or wrote commentary, and when. `what` names file
-- kinds and names or an export's selection; never a child's data.
create table if not exists audit_log (
    recorded_at timestamp not null,
    user_name varchar not null,        -- the signed-in user; the OS user for the command line
    action varchar not null,           -- load, export or commentary
    what varchar not null
);
