-- 386: REC E11 or E12 (adopted) on or after the child's 18th birthday.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and upper(rec) in ('E11', 'E12') and dob + interval 18 year <= dec
