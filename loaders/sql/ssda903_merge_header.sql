-- Merge a validated header table (_incoming_903) into the store: one row per la_code and child,
-- the newest collection year's (a year not known counts as newest: the latest load wins).
delete from ssda903_header e using _incoming_903 i
where e.la_code = i.la_code and e.child = i.child
  and coalesce(e.collection_year, -1) <= coalesce(i.collection_year, 9999);

insert into ssda903_header (la_code, child, sex, dob, ethnic, collection_year, source_file, source_row,
                            batch_id, child_key)
select la_code, child, sex, dob, ethnic, collection_year, source_file, source_row, batch_id, child_key
from _incoming_903 i
where not exists (select 1 from ssda903_header e where e.la_code = i.la_code and e.child = i.child);
