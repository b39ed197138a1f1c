-- 145: CIN is not a valid code (blank passes, as in the validator).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, coalesce(dec, make_date(collection_year, 3, 31)) as affects_to
from ssda903_episodes
where collection_year between $first_year and $last_year
  and cin <> '' and cin not in ('N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8')
