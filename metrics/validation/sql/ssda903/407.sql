-- 407: REC E45 to E48 (special guardianship order) with DEC after the child's 18th birthday. The
-- episode and the child's header row are both flagged, as in the validator.
with flagged as (
    select * from v903_episodes
    where collection_year between $first_year and $last_year
      and rec in ('E45', 'E46', 'E47', 'E48') and dob + interval 18 year < dec
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from flagged
union all
select distinct la_code, header_year, 'header', header_row, child, null::date, null::date
from flagged
