-- Merge validated episodes (_incoming_903: one LA, one collection year) into the store.
-- Consecutive years repeat the same episodes: per la_code, child and DECOM the newest year wins.
delete from ssda903_episodes e using _incoming_903 i
where e.la_code = i.la_code and e.child = i.child and e.decom = i.decom
  and e.collection_year <= i.collection_year;

insert into ssda903_episodes (la_code, child, decom, rne, ls, cin, place, place_provider, dec, rec,
                              reason_place_change, collection_year, source_file, source_row,
                              batch_id, pl_post_key, urn_key, child_key)
select la_code, child, decom, rne, ls, cin, place, place_provider, dec, rec, reason_place_change,
       collection_year, source_file, source_row, batch_id, pl_post_key, urn_key, child_key
from _incoming_903 i
where not exists (
    select 1 from ssda903_episodes e
    where e.la_code = i.la_code and e.child = i.child and e.decom = i.decom
);
