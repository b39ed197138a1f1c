-- SSDA903 child-level tables (see loaders/ssda903.py). Idempotent.

create table if not exists ssda903_episodes (
    la_code varchar not null,
    child varchar not null,
    decom date not null,
    rne varchar not null,
    ls varchar not null,
    cin varchar,
    place varchar,
    place_provider varchar,
    dec date,
    rec varchar,
    reason_place_change varchar,
    collection_year integer not null,
    source_file varchar,
    source_row integer,
    batch_id varchar
);

create table if not exists ssda903_header (
    la_code varchar not null,
    child varchar not null,
    sex varchar,
    dob date,
    ethnic varchar,
    collection_year integer,
    source_file varchar,
    source_row integer,
    batch_id varchar
);

create table if not exists ssda903_oc3 (
    la_code varchar not null,
    child varchar not null,
    dob date not null,
    in_touch varchar not null,
    activ varchar,
    accom varchar,
    collection_year integer not null,
    birthday date not null,
    age_at_birthday integer not null,
    source_file varchar,
    source_row integer,
    batch_id varchar
);

create table if not exists ssda903_coverage (
    la_code varchar not null,
    table_name varchar not null,
    collection_year integer not null,
    name_year integer,
    data_end date,
    source_file varchar,
    batch_id varchar,
    primary key (la_code, table_name, collection_year)
);

-- Each episodes file's last episode per child (latest DECOM), as that file sent it: the DfE's
-- carry-over rules (502, 503A-E, 562) compare it with the next year's file, and the merged
-- ssda903_episodes keeps only the newest year's copy of an episode sent again.
create table if not exists ssda903_last_episodes (
    la_code varchar not null,
    child varchar not null,
    collection_year integer not null,
    decom date not null,
    dec date,
    rne varchar,
    ls varchar,
    cin varchar,
    place varchar,
    place_provider varchar
);

-- Keyed hashes of PL_POST and URN (loaders/pseudonyms.py: never the values), for rules 434-436 and
-- 503F; added to stores made before them.
alter table ssda903_episodes add column if not exists pl_post_key varchar;
alter table ssda903_episodes add column if not exists urn_key varchar;
alter table ssda903_last_episodes add column if not exists urn_key varchar;

-- The child's id as a keyed hash (loaders/pseudonyms.py), beside the id: the rules find a refused
-- row's child (below) by it. Null on rows stored before it.
alter table ssda903_episodes add column if not exists child_key varchar;
alter table ssda903_header add column if not exists child_key varchar;
alter table ssda903_oc3 add column if not exists child_key varchar;

-- Rows the loader refuses (a blank CHILD, a date that is not one, an unknown code in a column a
-- measure reads, DEC before DECOM, a second row of the same key): no measure reads them; the DfE
-- rules do (131, 143, 144, 356, 357, 1001, 1002), so they flag the rows the validator flags. The
-- child's id only as its keyed hash; dates that are not dates are null; codes as written. Each
-- load of a table and collection year replaces that year's refused rows. refused_by: the
-- loader's rules the row broke (loaders/schemas/ssda903.py RULES).
create table if not exists ssda903_refused_episodes (
    la_code varchar not null,
    child_key varchar,
    decom date,
    rne varchar,
    ls varchar,
    cin varchar,
    place varchar,
    place_provider varchar,
    dec date,
    rec varchar,
    collection_year integer not null,
    source_file varchar,
    source_row integer,
    batch_id varchar,
    refused_by varchar[]
);

create table if not exists ssda903_refused_oc3 (
    la_code varchar not null,
    child_key varchar,
    dob date,
    in_touch varchar,
    activ varchar,
    accom varchar,
    collection_year integer not null,
    birthday date,
    source_file varchar,
    source_row integer,
    batch_id varchar,
    refused_by varchar[]
);
