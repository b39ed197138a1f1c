-- Every LA's value for each indicator and year with its quartile band and rank among all LAs
-- (LAIT convention). Cut points are quantile_cont (linear interpolation between order statistics,
-- as Excel QUARTILE.INC / numpy's default) over the LAs with a numeric value that year.
-- Band A is the best quarter: for High polarity value >= Q3 is A, >= median B, >= Q1 C, else D; for
-- Low polarity value <= Q1 is A, <= median B, <= Q3 C, else D. A value on a cut point takes the
-- better band. No band for indicators without polarity or flagged no_quartile.
-- Rank 1 is best (highest for High, lowest for Low); ties share the lower rank (rank()).
-- No rank for indicators without polarity. rank_of = LAs with a value.
-- Needs the registered frames _indicators and _las (region of LAs the source gives none for).
create or replace table benchmark_distribution as
with la_values as (
    select
        b.indicator_id,
        b.year,
        b.area_code as la_code,
        coalesce(l.la_name, b.area_name) as la_name,
        coalesce(l.region_code, nullif(b.region_code, '')) as region_code, -- EES gives London LAs E13
        b.value,
        b.status,
        b.source,
        b.method,
        i.polarity,
        i.no_quartile
    from benchmark_best b
    join _indicators i using (indicator_id)
    left join _las l on l.la_code = b.area_code
    where b.geographic_level = 'Local authority'
      -- an LA that did not exist at the date the figure is at is listed only if it has a value
      and (b.value is not null or (
          (l.valid_from is null or l.valid_from::date <= make_date(b.year, i.reference_month,
              case when i.reference_month = 9 then 30 else 31 end))
          and (l.valid_to is null or l.valid_to::date >= make_date(b.year, i.reference_month,
              case when i.reference_month = 9 then 30 else 31 end))))
),
cuts as (
    select
        indicator_id,
        year,
        quantile_cont(value, 0.25) as q1,
        quantile_cont(value, 0.5) as median,
        quantile_cont(value, 0.75) as q3,
        count(value) as rank_of
    from la_values
    where value is not null
    group by indicator_id, year
),
ranked as (
    select
        v.*,
        case
            when v.value is null then null
            when v.polarity = 'High' then rank() over (
                partition by v.indicator_id, v.year order by v.value desc nulls last)
            when v.polarity = 'Low' then rank() over (
                partition by v.indicator_id, v.year order by v.value asc nulls last)
        end as rank
    from la_values v
)
select
    r.indicator_id,
    r.year,
    r.la_code,
    r.la_name,
    r.region_code,
    g.region_name,
    r.value,
    r.status,
    r.source,
    r.method,
    case
        when r.value is null or r.no_quartile or r.polarity not in ('High', 'Low') then null
        when r.polarity = 'High' then
            case when r.value >= c.q3 then 'A' when r.value >= c.median then 'B'
                 when r.value >= c.q1 then 'C' else 'D' end
        else
            case when r.value <= c.q1 then 'A' when r.value <= c.median then 'B'
                 when r.value <= c.q3 then 'C' else 'D' end
    end as quartile,
    r.rank::integer as rank,
    case when r.rank is null then null else c.rank_of end::integer as rank_of,
    c.q1,
    c.median,
    c.q3
from ranked r
left join cuts c using (indicator_id, year)
left join (select distinct region_code, region_name from _las where region_code <> '') g
    using (region_code);
