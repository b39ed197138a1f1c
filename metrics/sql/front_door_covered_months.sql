-- The month ends each LA's loaded censuses cover: from 1 April of the census year to the
-- census reference date (a census with reference date 31 March 2022 covers April 2021 to March 2022).
select distinct la_code, last_day(month_start::date) as period_end
from (
    select
        la_code,
        reference_date,
        unnest(generate_series(coverage_start, reference_date, interval 1 month)) as month_start
    from cin_census_returns
)
where last_day(month_start::date) <= reference_date
