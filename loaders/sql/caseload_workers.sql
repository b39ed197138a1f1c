-- Caseload lists: one row per worker per snapshot date, as exported by the case management system.
-- worker_id stays in the store only; pages show counts, never ids.
create table if not exists caseload_workers (
    la_code varchar not null,
    snapshot_date date not null,
    worker_id varchar not null,
    team varchar not null,
    service_area varchar,
    role varchar not null,
    fte double not null,
    agency boolean not null,
    cases integer not null,
    source_file varchar,
    primary key (la_code, snapshot_date, worker_id)
);
