-- 148: DEC and REC must both be coded or both be blank.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year
  and ((dec is null and rec <> '') or (dec is not null and rec = ''))
