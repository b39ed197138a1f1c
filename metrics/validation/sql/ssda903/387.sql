-- 387: REC E5 or E6 (independent living) with DEC before the child's 14th birthday (or no DOB).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and upper(rec) in ('E5', 'E6') and dec is not null
  and not coalesce(dob + interval 14 year <= dec, false)
