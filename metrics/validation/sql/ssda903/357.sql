-- 357: the child's first episode in the file starts in the collection year but RNE is not S.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position = 1 and decom >= make_date(collection_year - 1, 4, 1) and rne <> 'S'
