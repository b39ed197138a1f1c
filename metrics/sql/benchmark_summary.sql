-- benchmark_summary rows: every current LA x indicator x published year x SN model, with the LA's
-- published value, England, region, SN mean and median over the neighbours with a value, quartile,
-- rank, direction of travel against the previous consecutive year, and footnotes explaining every
-- gap (LA or neighbour not existing that year, suppressed or unpublished values, missing previous
-- year, LA not in the SN model). Needs the registered frames _indicators, _las and _models.
with las as (
    select * from _las where status = 'current' and region_code <> ''
),
indicator_years as (
    select distinct b.indicator_id, b.year, i.polarity, i.decimal_places,
        exists (select 1 from benchmark_best e where e.indicator_id = b.indicator_id
                and e.year = b.year - 1) as has_previous_year,
        make_date(b.year, i.reference_month, case when i.reference_month = 9 then 30 else 31 end)
            as reference_date
    from benchmark_best b join _indicators i using (indicator_id)
),
grid as (
    select l.la_code, l.la_name, l.region_code, l.region_name, l.valid_from, y.*, m.sn_model
    from las l cross join indicator_years y cross join _models m
),
predecessors as (
    select n.la_code, string_agg(o.la_name || ' (' || o.la_code || ')', ', ' order by o.la_code)
        as names
    from las n
    join _las o on o.status = 'former' and o.valid_to is not null and n.valid_from is not null
        and o.valid_to::date = n.valid_from::date - 1 and o.region_code = n.region_code
    group by n.la_code
),
neighbours as (
    select
        g.la_code, g.sn_model, g.indicator_id, g.year,
        count(*) as sn_listed,
        avg(d.value) as sn_mean,
        median(d.value) as sn_median,
        count(d.value) as sn_count,
        string_agg(
                coalesce(n.la_name, s.neighbour_code) || ' (' || s.neighbour_code
                || case
                    when n.valid_from is not null and n.valid_from::date > g.reference_date
                        then ', created ' || n.valid_from
                    when n.valid_to is not null and n.valid_to::date < g.reference_date
                        then ', abolished ' || n.valid_to
                    when d.status <> '' then ', ' || d.status
                    else ', not published' end || ')',
            '; ' order by s.neighbour_rank
        ) filter (where d.value is null) as sn_missing
    from grid g
    join sn_groups s on s.model = g.sn_model and s.la_code = g.la_code
    left join benchmark_distribution d
        on d.indicator_id = g.indicator_id and d.year = g.year and d.la_code = s.neighbour_code
    left join _las n on n.la_code = s.neighbour_code
    group by g.la_code, g.sn_model, g.indicator_id, g.year
),
joined as (
    select
        g.*,
        d.value as la_value,
        d.status as la_status,
        d.quartile,
        d.rank,
        d.rank_of,
        e.value as england,
        r.value as region,
        n.sn_mean, n.sn_median, n.sn_count, n.sn_listed, n.sn_missing,
        p.value as previous_value,
        d.la_code is not null as published,
        d.method as la_method,
        pr.names as predecessor_names
    from grid g
    left join benchmark_distribution d
        on d.indicator_id = g.indicator_id and d.year = g.year and d.la_code = g.la_code
    left join benchmark_best e
        on e.indicator_id = g.indicator_id and e.year = g.year and e.area_code = 'E92000001'
    left join benchmark_best r
        on r.indicator_id = g.indicator_id and r.year = g.year and r.area_code = g.region_code
    left join benchmark_distribution p
        on p.indicator_id = g.indicator_id and p.year = g.year - 1 and p.la_code = g.la_code
    left join neighbours n
        on n.la_code = g.la_code and n.sn_model = g.sn_model
        and n.indicator_id = g.indicator_id and n.year = g.year
    left join predecessors pr on pr.la_code = g.la_code
)
select
    la_code,
    indicator_id,
    year,
    sn_model,
    la_value,
    coalesce(la_status, case when published then '' else 'x' end) as la_status,
    england,
    region_name,
    region,
    sn_mean,
    sn_median,
    coalesce(sn_count, 0)::integer as sn_count,
    quartile,
    rank,
    rank_of,
    case
        when la_value is null or previous_value is null or polarity not in ('High', 'Low') then null
        when round(la_value, decimal_places) = round(previous_value, decimal_places) then 'no change'
        when (polarity = 'High') = (la_value > previous_value) then 'improved'
        else 'declined'
    end as direction,
    reference_date,
    nullif(concat_ws('; ',
        case when valid_from is not null and valid_from::date > reference_date then
            la_name || ' was created on ' || valid_from
            || coalesce(' from ' || predecessor_names, '') || ': no value for ' || year
        end,
        case when not published and not (valid_from is not null and valid_from::date > reference_date)
            then 'No value published for ' || year || ' (a gap in the published data)'
        end,
        case (case when valid_from is null or valid_from::date <= reference_date then la_status end)
            when 'c' then 'Value suppressed to protect confidentiality (c)'
            when 'k' then 'Value below 0.5 (k)'
            when 'low' then 'Value below 0.5 (low)'
            when 'u' then 'Value of low reliability, not shown (u)'
            when 'x' then 'Value not available for ' || year || ' (x)'
            when 'z' then 'Not applicable (z)'
        end,
        case when la_method like '%joint return%' then
            'Published for a ' || regexp_extract(la_method, 'joint return [0-9 /]+')
            || ' (one figure for the LAs together)'
        end,
        case when la_value is not null and previous_value is null and polarity in ('High', 'Low')
                and has_previous_year then
            'No direction of travel: no value for ' || (year - 1)
            || case when valid_from is not null
                    and valid_from::date > make_date(year - 1, 3, 31)
                then ' (the LA did not exist then)' else '' end
        end,
        case when sn_listed is null then 'Not in the ' || sn_model || ' statistical neighbour model' end,
        case when sn_listed is not null and sn_count < sn_listed then
            'SN mean and median over ' || sn_count || ' of ' || sn_listed
            || ' neighbours; no value for: ' || sn_missing
        end
    ), '') as footnote
from joined;
