-- Continues a with-clause that defines covered_months(la_code, period_end), scoped_months (the
-- covered month ends this recompute redoes),
-- events(la_code, indicator_id, event_date, hit) and indicator_ids(indicator_id); returns
-- numerator (hits) and denominator (events) per LA, indicator, month end and period type (month, ytd from 1 April, rolling_12m), for the month ends
-- a loaded census covers (1 April of its year to its reference date). A year to date or rolling
-- window is only given when every month of it is covered. The grid starts at scoped_las.window_from
-- (11 months before the first month redone): no window of a month redone reaches further back.
spans as (
    select c.la_code, greatest(min(c.period_end), last_day(any_value(s.window_from))) as first_end,
        max(c.period_end) as last_end
    from covered_months c
    join scoped_las s on s.la_code = c.la_code
    group by c.la_code
),
grid as (
    select s.la_code, g.period_end, c.period_end is not null as covered
    from (
        select
            la_code,
            last_day(unnest(generate_series(date_trunc('month', first_end), last_end, interval 1 month))::date)
                as period_end
        from spans
    ) g
    join spans s using (la_code)
    left join covered_months c using (la_code, period_end)
),
monthly as (
    select la_code, indicator_id, last_day(event_date) as period_end,
        sum(hit) as numerator, count(*) as denominator
    from events
    group by all
),
filled as (
    select
        g.la_code,
        i.indicator_id,
        g.period_end,
        g.covered,
        case when month(g.period_end) >= 4 then year(g.period_end) + 1 else year(g.period_end) end
            as reporting_year,
        coalesce(m.numerator, 0) as numerator,
        coalesce(m.denominator, 0) as denominator
    from grid g
    cross join indicator_ids i
    left join monthly m using (la_code, indicator_id, period_end)
),
windowed as (
    select
        *,
        sum(numerator) over rolling as rolling_numerator,
        sum(denominator) over rolling as rolling_denominator,
        sum(covered::integer) over rolling as rolling_covered,
        sum(numerator) over year_to_date as ytd_numerator,
        sum(denominator) over year_to_date as ytd_denominator
    from filled
    window
        rolling as (partition by la_code, indicator_id order by period_end rows between 11 preceding and current row),
        year_to_date as (partition by la_code, indicator_id, reporting_year order by period_end)
),
wanted as (
    select w.* from windowed w
    semi join scoped_months s on s.la_code = w.la_code and s.period_end = w.period_end
)
select la_code, indicator_id, period_end, 'month' as period_type, numerator, denominator
from wanted
union all
select la_code, indicator_id, period_end, 'ytd', ytd_numerator, ytd_denominator
from wanted
union all
select la_code, indicator_id, period_end, 'rolling_12m', rolling_numerator, rolling_denominator
from wanted where rolling_covered = 12
order by la_code, indicator_id, period_type, period_end
