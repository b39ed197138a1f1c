-- 302: the child's first episode in the file starts before their date of birth (header DOB). The
-- episode and the child's header row are both flagged, as in the validator.
with flagged as (
    select * from v903_episodes
    where collection_year between $first_year and $last_year and position = 1 and dob > decom
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from flagged
union all
select distinct la_code, header_year, 'header', header_row, child, null::date, null::date
from flagged
