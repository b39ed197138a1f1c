-- Merge a validated OC3 table (_incoming_903) into the store: each collection year holds its own
-- record per young person (their birthday in that year); loading a year again replaces it.
delete from ssda903_oc3 e using _incoming_903 i
where e.la_code = i.la_code and e.child = i.child and e.collection_year = i.collection_year;

insert into ssda903_oc3 (la_code, child, dob, in_touch, activ, accom, collection_year, birthday,
                         age_at_birthday, source_file, source_row, batch_id, child_key)
select la_code, child, dob, in_touch, activ, accom, collection_year, birthday, age_at_birthday,
       source_file, source_row, batch_id, child_key
from _incoming_903 i;
