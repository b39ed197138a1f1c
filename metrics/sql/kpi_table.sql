-- The current KPI values for one LA (or every LA when $la is null) with their target for the reporting year and the latest
-- published benchmark at or before that year (as-of join on the date the published figure is at:
-- on or before 31 March of the reporting year end, so a 2024/25 value is compared with the
-- workforce figure at 30 September 2024, not the one at 30 September 2025). Parameters: $la, $from, $to,
-- $period_type, $sn_model ($from/$to/$period_type may be null for "any").
with kpis as (
    select
        k.*,
        case when month(k.period_end) >= 4 then year(k.period_end) + 1 else year(k.period_end) end
            as year_end
    from kpi k
    where ($la is null or k.la_code = $la)
      and ($from is null or k.period_end >= $from)
      and ($to is null or k.period_end <= $to)
      and ($period_type is null or k.period_type = $period_type)
),
benchmarks as (
    select * from benchmark_summary where sn_model = $sn_model and ($la is null or la_code = $la)
)
select
    k.la_code,
    k.indicator_id,
    k.period_end,
    k.period_type,
    k.numerator,
    k.denominator,
    k.value,
    k.status,
    k.origin,
    k.source,
    k.source_file,
    k.batch_id,
    k.year_end,
    t.target,
    t.tolerance,
    b.year as benchmark_year,
    b.sn_model,
    b.la_value as published_value,
    b.sn_mean,
    b.sn_median,
    b.sn_count,
    b.region_name,
    b.region,
    b.england,
    b.quartile,
    b.rank,
    b.rank_of,
    b.direction,
    b.footnote as benchmark_footnote
from kpis k
left join targets t
    on t.la_code = k.la_code and t.indicator_id = k.indicator_id and t.year_end = k.year_end
asof left join benchmarks b
    on b.la_code = k.la_code and b.indicator_id = k.indicator_id
    and make_date(k.year_end, 3, 31) >= b.reference_date
order by k.la_code, k.indicator_id, k.period_type, k.period_end
