-- Per LA and supported month end: children looked after (cla_rate), the 3+ placements numerator
-- and denominator, and the long-term stability numerator and denominator. Definitions and the
-- choices made are in metrics/placements.py; metrics/reference/placements.py is the same in pandas.
-- Months are handled as indexes (year * 12 + month - 1) so every month end is exact.
with episodes as (
    select la_code, child, decom, dec, rne, place,
           lead(decom) over (partition by la_code, child order by decom) as next_decom
    from ssda903_episodes
    where ls not in ('V3', 'V4')
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
        coalesce(lag(ep_end) over (partition by la_code, child order by decom) < decom, true) as new_period,
        rne in ('S', 'P', 'T') as new_placement
    from spans
),
numbered as (
    select *,
        sum(new_period::int) over w as period_no,
        sum((new_period or new_placement)::int) over w as carer_no,
        sum(new_placement::int) over w as placements_started
    from marked
    window w as (partition by la_code, child order by decom rows unbounded preceding)
),
spells as (
    select la_code, child, period_no, carer_no, min(decom) as carer_start
    from numbered
    group by la_code, child, period_no, carer_no
),
spell_starts as (
    select *,
        lag(carer_start) over (partition by la_code, child, period_no order by carer_no)
            as previous_carer_start,
        min(carer_start) over (partition by la_code, child, period_no) as period_start
    from spells
),
covered_months as (
    select distinct c.la_code, unnest(range((c.collection_year - 1) * 12 + 3, c.collection_year * 12 + 3)) as mi
    from ssda903_coverage c
    where c.table_name = 'episodes'
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
grid as (
    select la_code, mi,
        last_day(make_date((mi // 12)::int, (mi % 12 + 1)::int, 1)) as period_end,
        mi - min(mi) over (partition by la_code, island) + 1 as run_months
    from months
),
bounds as (
    select la_code, min(mi) as first_mi, max(mi) as last_mi from grid group by la_code
),
episode_months as (
    select n.la_code, n.child, n.carer_no, n.placements_started, n.place,
        unnest(range(
            greatest(year(n.decom) * 12 + month(n.decom) - 1, b.first_mi),
            least(coalesce(year(n.ep_end) * 12 + month(n.ep_end) - 2, b.last_mi), b.last_mi) + 1
        )) as mi
    from numbered n
    join bounds b on b.la_code = n.la_code
),
in_care as (
    select e.*, g.period_end, g.run_months,
        make_date(((e.mi - 11) // 12)::int, ((e.mi - 11) % 12 + 1)::int, 1) as window_start
    from episode_months e
    join grid g on g.la_code = e.la_code and g.mi = e.mi
),
short_term as (
    select c.la_code, c.child, c.mi,
        (w.decom is not null and (w.ep_end is null or w.ep_end > c.window_start))::int
            + c.placements_started - coalesce(w.placements_started, 0) as placements
    from in_care c
    asof left join numbered w
        on w.la_code = c.la_code and w.child = c.child and c.window_start >= w.decom
    where c.run_months >= 12
),
long_term as (
    select c.la_code, c.child, c.mi,
        (s.carer_start <= last_day(make_date(((c.mi - 24) // 12)::int, ((c.mi - 24) % 12 + 1)::int, 1))
         or (c.place in ('A3', 'A4', 'A5', 'A6')
             and s.previous_carer_start
                 <= last_day(make_date(((c.mi - 24) // 12)::int, ((c.mi - 24) % 12 + 1)::int, 1))))
            as same_carer_2_years
    from in_care c
    join spell_starts s on s.la_code = c.la_code and s.child = c.child and s.carer_no = c.carer_no
    join ssda903_header h on h.la_code = c.la_code and h.child = c.child
    where c.run_months >= 30
      and h.dob is not null
      and h.dob + interval 16 year > c.period_end
      and s.period_start <= last_day(make_date(((c.mi - 30) // 12)::int, ((c.mi - 30) % 12 + 1)::int, 1))
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
