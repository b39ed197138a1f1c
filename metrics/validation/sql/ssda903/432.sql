-- 432: the previous episode's REC says the child ceased to be looked after, but RNE is not S.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and position > 1 and rne <> 'S'
  and previous_rec in ('E2', 'E3', 'E4A', 'E4B', 'E5', 'E6', 'E7', 'E8', 'E9', 'E11', 'E12', 'E13',
                       'E14', 'E15', 'E16', 'E17', 'E41', 'E45', 'E46', 'E47', 'E48')
