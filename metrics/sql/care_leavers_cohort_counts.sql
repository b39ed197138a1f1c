-- Per LA, age group (17_18, 19_21), period type (month, ytd, rolling_12m) and supported month end:
-- the care leaver cohort and those in touch, in suitable accommodation and in EET. Definitions are
-- in metrics/care_leavers.py; metrics/reference/care_leavers.py is the same in pandas.
-- Months are indexes (year * 12 + month - 1); April is month index 3 within a year.
with covered_months as (
    select distinct la_code,
        unnest(range((collection_year - 1) * 12 + 3, collection_year * 12 + 3)) as mi
    from ssda903_coverage
    where table_name = 'oc3'
      and (not exists (select 1 from recompute_scope)
           or la_code in (select la_code from recompute_scope where family in ('*', 'care_leavers')))
),
data_ends as (
    select la_code, max(year(data_end) * 12 + month(data_end) - 1) as last_mi
    from ssda903_coverage
    where table_name = 'oc3'
    group by la_code
),
months as (
    select m.la_code, m.mi, m.mi - row_number() over (partition by m.la_code order by m.mi) as island
    from covered_months m
    join data_ends d on d.la_code = m.la_code and m.mi <= coalesce(d.last_mi, m.mi)
),
grid as (
    select m.la_code, m.mi, a.age_group,
        m.mi - min(m.mi) over (partition by m.la_code, m.island) + 1 as run_months
    from months m
    cross join (values ('17_18'), ('19_21')) a(age_group)
),
records as (
    select la_code,
        year(birthday) * 12 + month(birthday) - 1 as mi,
        case when age_at_birthday <= 18 then '17_18' else '19_21' end as age_group,
        count(*) as cohort,
        count(*) filter (where in_touch = 'YES') as in_touch,
        -- gone abroad (G), deported (H), residence not known (R): out of the accommodation cohort;
        -- S1 and X1 are invalid (rule 133) and count as unsuitable
        count(*) filter (where coalesce(left(accom, 1), '') not in ('G', 'H', 'R')) as accommodation_cohort,
        count(*) filter (where regexp_full_match(accom, '[BCDEKTUVWYZ]1')) as suitable_accommodation,
        count(*) filter (where activ in ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5')) as eet
    from ssda903_oc3
    where in_touch not in ('DIED', 'RHOM') and age_at_birthday between 17 and 21
    group by all
),
monthly as (
    select g.la_code, g.mi, g.age_group, g.run_months,
        (g.mi % 12 + 9) % 12 + 1 as ytd_months,
        (g.mi - 3) // 12 as ytd_year,
        coalesce(r.cohort, 0) as cohort,
        coalesce(r.in_touch, 0) as in_touch,
        coalesce(r.accommodation_cohort, 0) as accommodation_cohort,
        coalesce(r.suitable_accommodation, 0) as suitable_accommodation,
        coalesce(r.eet, 0) as eet
    from grid g
    left join records r on r.la_code = g.la_code and r.mi = g.mi and r.age_group = g.age_group
),
windows as (
    select la_code, mi, age_group, 'month' as period_type, cohort, in_touch, accommodation_cohort, suitable_accommodation, eet
    from monthly
    union all
    select la_code, mi, age_group, 'ytd', cohort, in_touch, accommodation_cohort, suitable_accommodation, eet
    from (
        select la_code, mi, age_group, run_months, ytd_months,
            sum(cohort) over w as cohort, sum(in_touch) over w as in_touch,
            sum(accommodation_cohort) over w as accommodation_cohort,
            sum(suitable_accommodation) over w as suitable_accommodation, sum(eet) over w as eet
        from monthly
        window w as (partition by la_code, age_group, ytd_year order by mi rows unbounded preceding)
    )
    where run_months >= ytd_months
    union all
    select la_code, mi, age_group, 'rolling_12m', cohort, in_touch, accommodation_cohort, suitable_accommodation, eet
    from (
        select la_code, mi, age_group, run_months,
            sum(cohort) over w as cohort, sum(in_touch) over w as in_touch,
            sum(accommodation_cohort) over w as accommodation_cohort,
            sum(suitable_accommodation) over w as suitable_accommodation, sum(eet) over w as eet
        from monthly
        window w as (partition by la_code, age_group order by mi range between 11 preceding and current row)
    )
    where run_months >= 12
)
select w.la_code,
    last_day(make_date((w.mi // 12)::int, (w.mi % 12 + 1)::int, 1)) as period_end,
    w.period_type, w.age_group,
    w.cohort::bigint as cohort, w.in_touch::bigint as in_touch,
    w.accommodation_cohort::bigint as accommodation_cohort,
    w.suitable_accommodation::bigint as suitable_accommodation, w.eet::bigint as eet
from windows w
-- only the month ends the current recompute redoes for this family (recompute_scope; empty means
-- all of them)
where not exists (select 1 from recompute_scope)
   or exists (
        select 1 from recompute_scope s
        where s.la_code = w.la_code and s.family in ('*', 'care_leavers')
          and w.mi >= year(s.from_date) * 12 + month(s.from_date) - 1
   )
order by la_code, period_type, age_group, period_end
