-- Published benchmarks and statistical neighbour groups (created by the EES, LAIT and SN loaders
-- and by metrics.benchmarks; every statement is idempotent). The LA's own monthly values live in
-- kpi_history and are never written by a benchmark load.

-- One row per published figure: indicator, year, area and source. A re-release of the same file
-- replaces the rows for the same indicator, year, area and source.
create table if not exists benchmark_values (
    indicator_id varchar not null,
    year integer not null,             -- time_period: 2024 = year ending 31 March 2024 (workforce: 30 Sept 2024)
    geographic_level varchar not null, -- National, Regional, Local authority
    area_code varchar not null,        -- old 3-digit LA code, region code E12..., or E92000001
    area_name varchar,
    region_code varchar,
    value double,
    numerator double,
    denominator double,
    status varchar not null default '', -- blank, or the published symbol c, k, low, u, x, z
    method varchar not null default 'published', -- published, or how the value was derived
    source varchar not null,           -- EES or LAIT
    source_file varchar not null
);

-- The statistical neighbours of each LA under each model ('2021', '2025'), rank 1 = closest.
create table if not exists sn_groups (
    model varchar not null,
    la_code varchar not null,
    neighbour_rank integer not null,
    neighbour_code varchar not null,
    closeness varchar,
    source_file varchar
);

-- benchmark_summary gained reference_date (stores created before it get the column here).
alter table benchmark_summary add column if not exists reference_date date;
