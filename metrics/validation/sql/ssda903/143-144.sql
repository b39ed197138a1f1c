-- 143 and 144: an episode's code is not a valid code (blank passes, as in the validator). $field
-- names the column (rne for 143, ls for 144) and $codes the valid codes. The loader refuses such
-- episodes (kept in ssda903_refused_episodes, unseen by the measures), so they come from there.
select la_code, collection_year, 'episodes' as table_name, source_row, child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from (select la_code, collection_year, source_row, child as child_key, decom, dec,
             case $field when 'rne' then rne when 'ls' then ls end as code
      from ssda903_episodes
      union all
      select la_code, collection_year, source_row, child_key, decom, dec,
             case $field when 'rne' then rne when 'ls' then ls end as code
      from ssda903_refused_episodes)
where collection_year between $first_year and $last_year
  and code <> '' and not list_contains($codes, code)
