-- The one published value per indicator, year and area that the dashboard shows.
-- Preference when several sources give a figure for the same indicator, year and area:
--   1. EES, as published or derived from published counts (the DfE's own statistics release);
--   2. LAIT (republishes the same figures, sometimes with more history);
--   3. EES counts turned into a rate per 10,000 with the ONS population in the store (only where
--      neither source publishes the rate itself; the population used is the mid-year estimate of
--      the year before the 31 March the count is at, as the DfE does).
-- Needs the registered frame _indicators (indicator_id, decimal_places).
create or replace table benchmark_best as
with per_10k as (
    select
        v.* replace (
            round(v.numerator / nullif(p.population_0_17, 0) * 10000, i.decimal_places) as value,
            p.population_0_17 as denominator,
            case when v.status = '' and (p.population_0_17 is null or v.numerator is null) then 'x'
                else v.status end as status
        ),
        3 as preference
    from benchmark_values v
    join _indicators i using (indicator_id)
    asof left join population p on p.la_code = v.area_code and v.year - 1 >= p.year
    where v.method = 'per 10,000 children (ONS mid-year population)'
),
candidates as (
    select *, case when source = 'EES' then 1 else 2 end as preference
    from benchmark_values
    where method <> 'per 10,000 children (ONS mid-year population)'
    union all by name
    select * from per_10k
)
select * exclude (preference, rn)
from (
    select *, row_number() over (
        partition by indicator_id, year, area_code order by preference, source_file
    ) as rn
    from candidates
)
where rn = 1;
