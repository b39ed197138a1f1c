-- 460: REC E17 (stayed with current carers at 18 or over) with DEC before the 18th birthday.
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes
where collection_year between $first_year and $last_year
  and rec = 'E17' and dob + interval 18 year > dec
