-- 389: REC E7 (transferred to adult social care) before the child's 16th birthday (or no DOB).
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and upper(rec) = 'E7' and not coalesce(dob + interval 16 year <= dec, false)
