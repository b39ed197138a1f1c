-- 503A-F: a field of the child's first episode in this year's file differs from that of last
-- year's open last episode (blank compared as blank). $field names the field: rne (503A), ls
-- (503B), cin (503C), place (503D, with the validator's exceptions for recoded placement
-- types), place_provider (503E) or urn (503F, by its keyed hash: loaders/pseudonyms.py).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from v903_first_episodes
where collection_year between $first_year and $last_year and has_last and last_dec is null
  and coalesce(case $field when 'rne' then rne when 'ls' then ls when 'cin' then cin
                     when 'place' then place when 'place_provider' then place_provider
                     when 'urn' then urn_key end, '')
   <> coalesce(case $field when 'rne' then last_rne when 'ls' then last_ls when 'cin' then last_cin
                     when 'place' then last_place when 'place_provider' then last_place_provider
                     when 'urn' then last_urn_key end, '')
  and not ($field = 'place' and collection_year in (2024, 2025) and place = 'K3' and last_place = 'H5')
  and not ($field = 'place' and collection_year = 2026 and place in ('Z11', 'Z12', 'Z13', 'Z14')
           and last_place = 'Z1')
