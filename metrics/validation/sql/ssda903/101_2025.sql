-- 101: SEX is not M, F or U (the codes from 2024/25).
select la_code, collection_year, 'header' as table_name, source_row, child as child_key,
       null::date as affects_from, null::date as affects_to
from ssda903_header
where collection_year between $first_year and $last_year
  and sex not in ('M', 'F', 'U')
