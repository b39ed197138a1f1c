-- 1001: care leaver information for a young person whose episodes in this and last year's files
-- do not make them a relevant or former relevant child: looked after for less than 13 weeks (91
-- days) since their 14th birthday, or not at all since their 16th (short breaks, LS V3 or V4, not
-- counted), or whose last episode ended in adoption (REC E11, E12). As the validator: checked
-- where both years' episodes files are loaded; the last episode, when open, runs to the
-- collection year end; DOB from the header. Unlike it, a young person aged 20 or over at the year
-- end, or with no header DOB, is not checked (the validator means to leave them out, "as we would
-- not expect to see sufficient episodes in the past 2 years", but flags them), and "last episode"
-- is the child's own (the validator's lookup can pick another child's row: it indexes the two
-- years' episodes with overlapping row numbers). The rows the loader refused count as the
-- validator sees them: a refused OC3 row is checked, a refused episode with a DECOM is care (its
-- child by keyed hash; ssda903_refused_*).
with leavers as (
    select la_code, collection_year, source_row, child, child_key, birthday from ssda903_oc3
    union all
    select la_code, collection_year, source_row, null, child_key, birthday from ssda903_refused_oc3
),
all_episodes as (
    select la_code, child, child_key, collection_year, decom, dec, ls, rec from ssda903_episodes
    union all
    select la_code, null, child_key, collection_year, decom, dec, ls, rec
    from ssda903_refused_episodes where decom is not null
),
dobs as (
    select o.*, h.dob
    from leavers o join ssda903_header h on h.la_code = o.la_code and h.child = o.child
    union all  -- a refused row's child, by keyed hash
    select o.*, h.dob
    from leavers o join ssda903_header h on h.la_code = o.la_code and h.child_key = o.child_key
    where o.child is null
),
checked as (
    select la_code, collection_year, source_row, child, child_key, birthday, dob,
           make_date(collection_year, 3, 31) as year_end
    from dobs o
    where collection_year between $first_year and $last_year
      and dob is not null and dob + interval 20 year > make_date(collection_year, 3, 31)
      and (select count(distinct l.collection_year) from ssda903_last_episodes l
           where l.la_code = o.la_code
             and l.collection_year between o.collection_year - 1 and o.collection_year) = 2
),
joined as (
    select c.*, e.decom, e.ls, e.rec, e.dec, e.collection_year as episode_year
    from checked c
    join all_episodes e on e.la_code = c.la_code and e.child = c.child
    union all  -- a refused row's child, by keyed hash
    select c.*, e.decom, e.ls, e.rec, e.dec, e.collection_year
    from checked c
    join all_episodes e on e.la_code = c.la_code and e.child_key = c.child_key
     and (e.child is null or c.child is null)
),
episodes as (
    select c.*, e.decom, e.ls, e.rec, case when e.dec <= c.year_end then e.dec end as dec,
           row_number() over (
               partition by c.la_code, c.collection_year, c.source_row order by e.decom desc
           ) as from_last
    from checked c
    left join joined e on e.la_code = c.la_code and e.collection_year = c.collection_year
     and e.source_row = c.source_row
     and (e.episode_year between c.collection_year - 1 and c.collection_year
          or (e.episode_year > c.collection_year and e.decom <= c.year_end))
),
care as (
    select la_code, collection_year, source_row, child, birthday,
           coalesce(sum(greatest(ended - greatest(decom, (dob + interval 14 year)::date), 0))
                    filter (where upper(ls) not in ('V3', 'V4')), 0) as days_since_14,
           coalesce(sum(greatest(ended - greatest(decom, (dob + interval 16 year)::date), 0))
                    filter (where upper(ls) not in ('V3', 'V4')), 0) as days_since_16,
           coalesce(bool_or(from_last = 1 and upper(rec) in ('E11', 'E12')), false) as adopted
    from (select *, case when dec is null and from_last = 1 then year_end else dec end as ended
          from episodes)
    group by all
)
select la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from care
where adopted or days_since_14 < 91 or days_since_16 < 1
