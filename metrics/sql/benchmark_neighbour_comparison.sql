-- One LA and its statistical neighbours for an indicator and year: value, status, closeness and
-- rank among them (1 = best for the polarity, ties share the lower rank; none without polarity).
-- Parameters: $la, $indicator, $year, $model, $polarity.
with members as (
    select $la as la_code, 0 as neighbour_rank, 'Focus LA' as closeness, true as is_focus
    union all
    select neighbour_code, neighbour_rank, closeness, false
    from sn_groups
    where model = $model and la_code = $la
),
valued as (
    select
        m.la_code,
        d.la_name,
        m.neighbour_rank,
        m.closeness,
        m.is_focus,
        d.value,
        coalesce(d.status, 'x') as status,
        d.quartile
    from members m
    left join benchmark_distribution d
        on d.la_code = m.la_code and d.indicator_id = $indicator and d.year = $year
)
select
    *,
    case
        when value is null then null
        when $polarity = 'High' then rank() over (order by value desc nulls last)
        when $polarity = 'Low' then rank() over (order by value asc nulls last)
    end::integer as rank_among_neighbours
from valued
order by neighbour_rank;
