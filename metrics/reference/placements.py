"""Plain-pandas reference for metrics.placements, written for clarity rather than speed.

It reads the same stored tables and returns the same KPI rows, child by child and month by month,
so property tests can check the set-based SQL against it and the benchmark can time both.
Definitions: see metrics.placements.

`compute(tables)` takes a dict of frames named as in the store (columns it needs):
- ssda903_episodes: la_code, child, decom, dec, rne, ls, place
- ssda903_header: la_code, child, dob (optional; without it no child is in long_term_stability)
- ssda903_coverage: la_code, table_name, collection_year, data_end
- population: la_code, year, population_0_17 (optional; cla_rate rows only when given)
and returns KPI rows (la_code, indicator_id, period_end, period_type, numerator, denominator,
value, status) for placements_3plus, long_term_stability and cla_rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from loaders.base import KPI_COLUMNS

NEW_PLACEMENT = ("S", "P", "T")
SHORT_BREAKS = ("V3", "V4")
ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_end_of(index: int) -> date:
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return following - timedelta(days=1)


def month_start_of(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def _as_date(value: object) -> date | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def _reporting_year_end(day: date) -> int:
    return day.year + 1 if day.month >= 4 else day.year


def years_shown(episodes: pd.DataFrame, collection_year: int) -> set[int]:
    """The collection year and the consecutive reporting years before it in each of which one of
    its episodes ended (a full-history extract covers them)."""
    ended = {
        _reporting_year_end(d)
        for d in (_as_date(v) for v in episodes.loc[episodes["collection_year"] == collection_year, "dec"])
        if d is not None
    }
    years = {collection_year}
    while collection_year - len(years) in ended:
        years.add(collection_year - len(years))
    return years


def supported_months(
    coverage: pd.DataFrame, table_name: str, cap_at_data_end: bool, episodes: pd.DataFrame | None = None
) -> dict[int, int]:
    """Month index -> months covered consecutively up to and including it, for one LA. With the
    LA's `episodes`, each collection year also covers the years its episodes show (years_shown)."""
    rows = coverage[coverage["table_name"] == table_name]
    covered: set[int] = set()
    for year in rows["collection_year"]:
        shown = years_shown(episodes, int(year)) if episodes is not None else {int(year)}
        for covered_year in shown:
            covered.update(range((covered_year - 1) * 12 + 3, covered_year * 12 + 3))
    if cap_at_data_end:
        ends = [_as_date(d) for d in rows["data_end"]]
        known = [d for d in ends if d is not None]
        if known:
            last = month_index(max(known))
            covered = {m for m in covered if m <= last}
    runs: dict[int, int] = {}
    for month in sorted(covered):
        runs[month] = runs.get(month - 1, 0) + 1
    return runs


@dataclass
class Episode:
    decom: date
    end: date | None
    rne: str
    place: str
    period_start: date
    carer_start: date
    previous_carer_start: date | None

    def open_on(self, day: date) -> bool:
        return self.decom <= day and (self.end is None or self.end > day)


def child_episodes(rows: pd.DataFrame) -> list[Episode]:
    """One child's episodes (short breaks left out) with their period of care and carer."""
    rows = rows[~rows["ls"].isin(SHORT_BREAKS)].sort_values("decom")
    raw = [(_as_date(r.decom), _as_date(r.dec), r.rne, r.place) for r in rows.itertuples()]
    episodes: list[Episode] = []
    previous_end: date | None = None
    carer_starts_in_period: list[date] = []
    for position, (decom, dec, rne, place) in enumerate(raw):
        assert decom is not None
        next_decom = raw[position + 1][0] if position + 1 < len(raw) else None
        end = dec
        if next_decom is not None and (dec is None or dec > next_decom):
            end = next_decom
        new_period = position == 0 or (previous_end is not None and previous_end < decom)
        if new_period:
            period_start = decom
            carer_starts_in_period = [decom]
        elif rne in NEW_PLACEMENT:
            carer_starts_in_period.append(decom)
        previous_carer = carer_starts_in_period[-2] if len(carer_starts_in_period) > 1 else None
        episodes.append(
            Episode(decom, end, rne, place, period_start, carer_starts_in_period[-1], previous_carer)
        )
        previous_end = end
    return episodes


def placements_in_window(episodes: list[Episode], start: date, end: date) -> int:
    """The placement open at `start` (if any) plus new placements starting after it up to `end`."""
    open_at_start = any(e.open_on(start) for e in episodes)
    new = sum(1 for e in episodes if e.rne in NEW_PLACEMENT and start < e.decom <= end)
    return int(open_at_start) + new


def under_16(dob: date | None, day: date) -> bool:
    return dob is not None and (pd.Timestamp(dob) + pd.DateOffset(years=16)).date() > day


def _percentage(
    la_code: str, indicator_id: str, period_end: date, numerator: int, denominator: int
) -> dict[str, object]:
    return {
        "la_code": la_code,
        "indicator_id": indicator_id,
        "period_end": period_end,
        "period_type": "snapshot",
        "numerator": float(numerator),
        "denominator": float(denominator),
        "value": numerator / denominator * 100 if denominator else None,
        "status": "" if denominator else "x",
    }


def stability_counts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per LA and supported month end, the counts behind the three measures (as the SQL)."""
    episodes = tables["ssda903_episodes"]
    header = tables.get("ssda903_header", pd.DataFrame(columns=["la_code", "child", "dob"]))
    coverage = tables["ssda903_coverage"]
    dobs = {(r.la_code, r.child): _as_date(r.dob) for r in header.itertuples()}
    records = []
    for la_code in sorted(coverage.loc[coverage["table_name"] == "episodes", "la_code"].unique()):
        la_episodes = episodes[episodes["la_code"] == la_code]
        months = supported_months(coverage[coverage["la_code"] == la_code], "episodes", True, la_episodes)
        children = {child: child_episodes(rows) for child, rows in la_episodes.groupby("child")}
        for month, run in sorted(months.items()):
            period_end = month_end_of(month)
            counts = {
                "looked_after": 0,
                "placements_3plus": 0,
                "short_term_children": 0,
                "same_carer_2_years": 0,
                "long_term_children": 0,
            }
            for child, child_eps in children.items():
                current = [e for e in child_eps if e.open_on(period_end)]
                if not current:
                    continue
                episode = current[0]
                counts["looked_after"] += 1
                if run >= 12:
                    counts["short_term_children"] += 1
                    window_start = month_start_of(month - 11)
                    if placements_in_window(child_eps, window_start, period_end) >= 3:
                        counts["placements_3plus"] += 1
                cared_since = month_end_of(month - 30)
                same_carer_since = month_end_of(month - 24)
                if (
                    run >= 30
                    and under_16(dobs.get((la_code, child)), period_end)
                    and episode.period_start <= cared_since
                ):
                    counts["long_term_children"] += 1
                    adoption_with_previous = (
                        episode.place in ADOPTION_PLACEMENTS
                        and episode.previous_carer_start is not None
                        and episode.previous_carer_start <= same_carer_since
                    )
                    if episode.carer_start <= same_carer_since or adoption_with_previous:
                        counts["same_carer_2_years"] += 1
            records.append({"la_code": la_code, "period_end": period_end, "run_months": run, **counts})
    return pd.DataFrame(records)


def children_looked_after(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """la_code, period_end, count of children looked after (short breaks excluded)."""
    counts = stability_counts(tables)
    if counts.empty:
        return pd.DataFrame(columns=["la_code", "period_end", "count"])
    return counts[["la_code", "period_end", "looked_after"]].rename(columns={"looked_after": "count"})


def _population_for(population: pd.DataFrame, la_code: str, period_end: date) -> float | None:
    """The latest mid-year estimate (30 June) on or before the month end."""
    rows = population[(population["la_code"] == la_code)]
    years = [int(y) for y in rows["year"] if date(int(y), 6, 30) <= period_end]
    if not years:
        return None
    return float(rows.loc[rows["year"] == max(years), "population_0_17"].iloc[0])


def compute(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """KPI rows for placements_3plus, long_term_stability and (with a `population` frame) cla_rate."""
    counts = stability_counts(tables)
    rows: list[dict[str, object]] = []
    population = tables.get("population")
    for r in counts.itertuples():
        if r.run_months >= 12:
            rows.append(
                _percentage(
                    r.la_code, "placements_3plus", r.period_end, r.placements_3plus, r.short_term_children
                )
            )
        if r.run_months >= 30:
            rows.append(
                _percentage(
                    r.la_code, "long_term_stability", r.period_end, r.same_carer_2_years, r.long_term_children
                )
            )
        else:
            rows.append({
                "la_code": r.la_code, "indicator_id": "long_term_stability", "period_end": r.period_end,
                "period_type": "snapshot", "numerator": None, "denominator": None, "value": None,
                "status": "x",
            })
        if population is not None:
            children = _population_for(population, r.la_code, r.period_end)
            has_population = children is not None and children > 0
            rows.append(
                {
                    "la_code": r.la_code,
                    "indicator_id": "cla_rate",
                    "period_end": r.period_end,
                    "period_type": "snapshot",
                    "numerator": float(r.looked_after),
                    "denominator": children,
                    "value": r.looked_after / children * 10000 if has_population else None,  # type: ignore[operator]
                    "status": "" if has_population else "x",
                }
            )
    return pd.DataFrame(rows, columns=KPI_COLUMNS)
