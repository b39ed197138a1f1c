-- Per LA and supported month end: children looked after (cla_rate), the 3+ placements numerator
-- and denominator, and the long-term stability numerator and denominator. Definitions and the
-- choices made are in metrics/placements.py; metrics/reference/placements.py is the same in pandas.
-- Months are indexes (year * 12 + month - 1) so every month end is exact. Everything a child-month
-- needs is worked out per episode first, then episodes are spread over the month ends they span.
-- Coverage runs are counted over every covered month; only the grid's month ends are output.
-- Covered: the collection years loaded, and before each of them the years its own episodes show
-- it holds (a full-history extract): consecutive reporting years, back from the collection year,
-- in each of which one of its episodes ended (so the file keeps children who have left care).
with ended_years as (
    select la_code, collection_year,
        case when month(dec) >= 4 then year(dec) + 1 else year(dec) end as year_end
    from ssda903_episodes
    where dec is not null
    union
    select la_code, collection_year, collection_year from ssda903_coverage where table_name = 'episodes'
),
ended_runs as (
    select la_code, collection_year, year_end,
        year_end + row_number() over (partition by la_code, collection_year order by year_end desc)
            as island
    from ended_years
    where year_end <= collection_year
),
covered_years as (
    select la_code, collection_year from ssda903_coverage where table_name = 'episodes'
    union
    select r.la_code, r.year_end
    from ended_runs r
    semi join ssda903_coverage c
        on c.la_code = r.la_code and c.collection_year = r.collection_year and c.table_name = 'episodes'
    where r.island = r.collection_year + 1
),
covered_months as (
    select distinct la_code,
        unnest(range((collection_year - 1) * 12 + 3, collection_year * 12 + 3)) as mi
    from covered_years
),
data_ends as (
    select la_code, max(year(data_end) * 12 + month(data_end) - 1) as last_mi
    from ssda903_coverage
    where table_name = 'episodes'
    group by la_code
),
months as (
    select m.la_code, m.mi, m.mi - row_number() over (partition by m.la_code order by m.mi) as island
    from covered_months m
    join data_ends d on d.la_code = m.la_code and m.mi <= coalesce(d.last_mi, m.mi)
),
full_grid as (
    select la_code, mi,
        last_day(make_date((mi // 12)::int, (mi % 12 + 1)::int, 1)) as period_end,
        mi - min(mi) over (partition by la_code, island) + 1 as run_months
    from months
),
-- Only the month ends the current recompute redoes for this family (recompute_scope; empty means
-- all of them).
grid as (
    select g.*
    from full_grid g
    where not exists (select 1 from recompute_scope)
       or exists (
            select 1 from recompute_scope s
            where s.la_code = g.la_code and s.family in ('*', 'placements')
              and g.mi >= year(s.from_date) * 12 + month(s.from_date) - 1
       )
),
bounds as (
    select la_code, min(mi) as first_mi, max(mi) as last_mi from grid group by la_code
),
-- Children who can be looked after at a month end redone: an episode starting by the last one and
-- not ended before the month of the first. Their whole history is read (periods and carers count
-- from the start); other children are not read at all.
-- Each gets a whole-number child_key (windows partition by it: cheaper than by LA and child id)
-- and their date of birth.
relevant_children as (
    select r.la_code, r.child, h.dob, row_number() over (order by r.la_code, r.child) as child_key
    from (
        select distinct e.la_code, e.child
        from ssda903_episodes e
        join bounds b on b.la_code = e.la_code
        where e.ls not in ('V3', 'V4')
          and year(e.decom) * 12 + month(e.decom) - 1 <= b.last_mi
          and (e.dec is null or year(e.dec) * 12 + month(e.dec) - 1 >= b.first_mi)
    ) r
    left join ssda903_header h on h.la_code = r.la_code and h.child = r.child
),
episodes as (
    select e.la_code, r.child_key, r.dob, e.decom, e.dec, e.rne, e.place,
        lead(e.decom) over (partition by r.child_key order by e.decom) as next_decom
    from ssda903_episodes e
    join relevant_children r on r.la_code = e.la_code and r.child = e.child
    where e.ls not in ('V3', 'V4')
),
spans as (
    select *,
        case when next_decom is null then dec
             when dec is null or dec > next_decom then next_decom
             else dec end as ep_end
    from episodes
),
marked as (
    select *,
        coalesce(lag(ep_end) over (partition by child_key order by decom) < decom, true) as new_period,
        rne in ('S', 'P', 'T') as new_placement
    from spans
),
numbered as (
    select *,
        sum(new_placement::int) over w as placements_started,
        -- the start of this period of care, and of this carer's placement (decom rises per child)
        max(case when new_period then decom end) over w as period_start,
        max(case when new_period or new_placement then decom end) over w as carer_start,
        max(case when new_period or new_placement then decom end) over (
            partition by child_key order by decom rows between unbounded preceding and 1 preceding
        ) as latest_carer_start_before
    from marked
    window w as (partition by child_key order by decom rows unbounded preceding)
),
-- The previous carer's start, where this carer followed another in the same period of care: the
-- value at the episode that began this carer's placement (a struct, so that "none" is carried).
placed as (
    select *,
        (last_value(
            case when new_period or new_placement
                then {'start': case when new_placement and not new_period then latest_carer_start_before end}
            end ignore nulls
        ) over (partition by child_key order by decom rows unbounded preceding)).start as previous_carer_start
    from numbered
),
episode_facts as (
    select p.*,
        year(p.decom) * 12 + month(p.decom) - 1 as decom_mi,
        year(p.ep_end) * 12 + month(p.ep_end) - 1 as end_mi,
        year(p.next_decom) * 12 + month(p.next_decom) - 2 + (day(p.next_decom) > 1)::int as next_mi,
        b.first_mi, b.last_mi
    from placed p
    join bounds b on b.la_code = p.la_code
),
in_care as (
    select e.la_code, e.child_key, e.placements_started, e.place, e.dob, e.period_start, e.carer_start,
        e.previous_carer_start, g.mi, g.period_end, g.run_months
    from (
        select *, unnest(range(greatest(decom_mi, first_mi), least(coalesce(end_mi - 1, last_mi), last_mi) + 1)) as mi
        from episode_facts
    ) e
    join grid g on g.la_code = e.la_code and g.mi = e.mi
),
-- For each month k, the child's latest episode starting on or before the 1st of k: how many
-- placements had started by then and whether that episode was still open.
window_starts as (
    select child_key, k, placements_started,
        ep_end is null or ep_end > make_date((k // 12)::int, (k % 12 + 1)::int, 1) as open_at_start
    from (
        select *, unnest(range(
            greatest(decom_mi + (day(decom) > 1)::int, first_mi - 11),
            least(
                case when next_decom is null then coalesce(end_mi - 12, last_mi - 11) else next_mi end,
                last_mi - 11
            ) + 1
        )) as k
        from episode_facts
    )
),
short_term as (
    select c.la_code, c.mi,
        coalesce(w.open_at_start, false)::int + c.placements_started - coalesce(w.placements_started, 0)
            as placements
    from in_care c
    left join window_starts w on w.child_key = c.child_key and w.k = c.mi - 11
    where c.run_months >= 12
),
long_term as (
    select la_code, mi,
        carer_start <= last_day(make_date(((mi - 24) // 12)::int, ((mi - 24) % 12 + 1)::int, 1))
        or (place in ('A3', 'A4', 'A5', 'A6')
            and previous_carer_start
                <= last_day(make_date(((mi - 24) // 12)::int, ((mi - 24) % 12 + 1)::int, 1)))
            as same_carer_2_years
    from in_care
    where run_months >= 30
      and dob is not null
      and dob + interval 16 year > period_end
      and period_start <= last_day(make_date(((mi - 30) // 12)::int, ((mi - 30) % 12 + 1)::int, 1))
)
select g.la_code, g.period_end, g.run_months,
    coalesce(a.looked_after, 0) as looked_after,
    coalesce(p.placements_3plus, 0) as placements_3plus,
    coalesce(p.short_term_children, 0) as short_term_children,
    coalesce(l.same_carer, 0) as same_carer_2_years,
    coalesce(l.long_term_children, 0) as long_term_children
from grid g
left join (
    select la_code, mi, count(*) as looked_after from in_care group by la_code, mi
) a on a.la_code = g.la_code and a.mi = g.mi
left join (
    select la_code, mi, count(*) filter (where placements >= 3) as placements_3plus,
           count(*) as short_term_children
    from short_term group by la_code, mi
) p on p.la_code = g.la_code and p.mi = g.mi
left join (
    select la_code, mi, count(*) filter (where same_carer_2_years) as same_carer,
           count(*) as long_term_children
    from long_term group by la_code, mi
) l on l.la_code = g.la_code and l.mi = g.mi
order by g.la_code, g.period_end
