"""The pages' data: one cached function per view, keyed on the store's file version.

Each public function takes the filters a page picked and returns a small dataclass of frames ready
to draw. The numbers come from `metrics` (KPI table, benchmarks, caseloads, improvement plan,
export); this module only selects, labels and lays them out, so no page repeats a query or a
calculation. Results are cached with `st.cache_data` keyed on `Reader(...).version`, which changes
whenever an ingest swaps a new file in, so a new load shows at once. `st.cache_data` hands every
caller its own copy, so no session can change another's frames.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from loaders.base import la_name, local_authorities
from loaders.store import Reader, default_db_path, write_session
from metrics import admin_settings, benchmarks, caseload, published_view, store_views, validation
from metrics.catalogue import load_catalogue
from metrics.headlines import LOW_N, headlines
from metrics.kpis import DEFAULT_SN_MODEL, indicator_info, kpi_table
from metrics.rag import rag_summary, summary_sentence
from metrics.value_quality import dq_marker
from pages.components import auth
from pages.components.formatting import (
    MISSING,
    dash_missing,
    direction_label,
    format_count,
    format_number,
    n_label,
    period_label,
    published_year_label,
    published_years_label,
    rag_label,
)
from pages.components.upload_report import UploadResult, upload_result

log = logging.getLogger(__name__)

AREA_ORDER = (
    "Front door",
    "Child protection",
    "Children in care",
    "Care leavers",
    "Workforce",
    "Local indicators",
)
SN_MODELS = ("2025", "2021")
SN_AVERAGES = ("mean", "median")
PERIOD_TYPE_ORDER = ("month", "ytd", "rolling_12m", "snapshot", "year")
DEMO_SETTING_KEYS = ("demo", "synthetic", "synthetic_data", "data_origin")
LOAD_COMMAND = ".venv/bin/python -m loaders ingest PATH... --la CODE"


def reader() -> Reader:
    """The store named by $CSC_DB (or data/dashboard.duckdb), read-only, a connection per query."""
    return Reader(default_db_path())


# ---------------------------------------------------------------------------------------------
# The store and the sidebar


@dataclass
class StoreStatus:
    path: str
    exists: bool
    is_demo: bool = False
    has_kpis: bool = False
    la_options: list[tuple[str, str]] = field(default_factory=list)
    default_la: str | None = None
    own_las: list[str] = field(default_factory=list)  # LAs with values from their own records
    sn_models: list[str] = field(default_factory=lambda: list(SN_MODELS))


def store_status() -> StoreStatus:
    store = reader()
    return _store_status(str(store.path), store.version)


@st.cache_data(show_spinner=False, max_entries=8)
def _store_status(path: str, version: object) -> StoreStatus:
    store = Reader(path)
    if version is None:
        return StoreStatus(path=path, exists=False)
    values = store_views.settings(store)
    is_demo = any(
        str(values.get(key, "")).lower() in ("1", "true", "yes", "demo", "synthetic")
        for key in DEMO_SETTING_KEYS
    )
    las = store_views.las_with_kpis(store)
    default = values.get("la_code") or (las[0] if las else None)
    # every LA with published figures can be viewed, not only the LAs with their own records
    published = published_view.las_with_published(store)
    own = sorted(set(las) | ({default} if default else set()))  # first: the LAs with their own records
    codes = own + sorted(set(published) - set(own))
    options = [(code, f"{la_name(code)} ({code})") for code in codes]
    models = benchmarks.sn_models(store)
    return StoreStatus(
        path=path,
        exists=True,
        is_demo=is_demo,
        has_kpis=bool(las),
        la_options=options,
        default_la=default,
        own_las=las,
        sn_models=sorted(set(models) | set(SN_MODELS), reverse=True),
    )


def all_la_options() -> list[tuple[str, str]]:
    """Every current English LA (for picking a comparison LA that has only published figures)."""
    las = local_authorities()
    return [(row.la_code, f"{row.la_name} ({row.la_code})") for row in las.itertuples()]


# ---------------------------------------------------------------------------------------------
# 1 Overview / scorecard


@dataclass
class Scorecard:
    la_code: str
    la_name: str
    rows: pd.DataFrame  # one row per indicator: display columns, plus rag and area
    areas: list[str]
    counts: dict[str, int]
    sentence: str
    not_rated: int
    sn_model: str
    sn_average: str
    latest_period: date | None


SCORECARD_COLUMNS = {
    "indicator": "Indicator",
    "latest": "Latest",
    "n": "n",
    "period": "Period",
    "target": "Target",
    "target_from": "Target from",
    "rag_label": "RAG",
    "direction": "Published years' direction",
    "direction_years": "Published years",
    "sn": "Statistical neighbours",
    "england": "England",
    "trend": "Last 12 periods",
    "dq": "Data quality (DfE rules)",
}


def headline_rule() -> str:
    """The Overview's note on how a headline is chosen and rated (with the store's low-n threshold)."""
    store = reader()
    low = admin_settings.low_n(store) if store.version is not None else LOW_N
    return (
        "Each headline is in the period the DfE reports it for (rolling 12 months for flows, the month "
        f"end for stocks) unless another is chosen. n is numerator of denominator; under {low} in the "
        "denominator the value is shown as low n, not rated. Target from: the LA's target for the "
        "value's reporting year, else the improvement plan's (from the first recommendation linking "
        "that indicator alone); the Improvement plan rates against the same target. Published "
        "years' direction is the DfE's published value in the later year against the earlier one, not "
        "the in-year value beside it."
    )


HEADLINE_PERIOD_CHOICES = {
    "": "As the DfE reports it",
    "month": "Month",
    "ytd": "Year to date",
    "rolling_12m": "Rolling 12 months",
}


@st.cache_data(show_spinner=False, max_entries=64)
def _kpi_table(
    path: str,
    version: object,
    la_code: str,
    sn_model: str,
    indicator_id: str | None = None,
    period_type: str | None = None,
) -> pd.DataFrame:
    """`metrics.kpis.kpi_table` for the LA (or one indicator and period type), cached apart from the
    views built on it, so a change of neighbour average or headline period does not query again."""
    indicators = [indicator_id] if indicator_id is not None else None
    return kpi_table(Reader(path), la_code, indicators=indicators, period_type=period_type, sn_model=sn_model)


def scorecard(
    la_code: str, sn_model: str = DEFAULT_SN_MODEL, sn_average: str = "mean", period_type: str = ""
) -> Scorecard:
    """Each indicator's headline (`metrics.headlines`): in the period the DfE reports it for, or in
    `period_type` where the indicator has it; "low n" instead of a RAG under 10 in the denominator."""
    store = reader()
    return _scorecard(str(store.path), store.version, la_code, sn_model, sn_average, period_type)


@st.cache_data(show_spinner=False, max_entries=32)
def _scorecard(
    path: str, version: object, la_code: str, sn_model: str, sn_average: str, period_type: str
) -> Scorecard:
    table = _kpi_table(path, version, la_code, sn_model)
    empty = Scorecard(
        la_code,
        la_name(la_code),
        pd.DataFrame(),
        [],
        {"green": 0, "amber": 0, "red": 0},
        summary_sentence({"green": 0, "amber": 0, "red": 0}),
        0,
        sn_model,
        sn_average,
        None,
    )
    if table.empty:
        return empty
    current = headlines(Reader(path), la_code, None, period_type or None, sn_model=sn_model, table=table)
    history = table.sort_values("period_end")
    sparklines: dict[str, list[float] | None] = {}
    for row in current.itertuples():
        series = history[
            (history["indicator_id"] == row.indicator_id) & (history["period_type"] == row.period_type)
        ]["value"].tail(12)
        shown = [float(v) for v in series.dropna()]  # gaps (suppressed, missing) are left out
        sparklines[row.indicator_id] = shown or None
    sn_column = "sn_median" if sn_average == "median" else "sn_mean"
    rows = pd.DataFrame(
        {
            "indicator_id": current["indicator_id"],
            "area": current["area"].fillna("Local indicators"),
            "indicator": current["short_name"].fillna(current["indicator_id"]),
            "latest": [
                format_number(r.value, r.unit, r.decimal_places, r.status) for r in current.itertuples()
            ],
            "n": [n_label(r.numerator, r.denominator, r.unit) for r in current.itertuples()],
            "period": [
                period_label(r.period_end, r.period_type, r.indicator_id) for r in current.itertuples()
            ],
            "target": [format_number(r.target, r.unit, r.decimal_places) for r in current.itertuples()],
            "target_from": current["target_rule"],
            "rag": current["rag"],
            "rag_label": current["rating"].map(rag_label),
            "rating": current["rating"],
            "direction": current["direction"].map(direction_label),
            "direction_years": [
                published_years_label(r.benchmark_year, r.indicator_id) for r in current.itertuples()
            ],
            "sn": [
                format_number(getattr(r, sn_column), r.unit, r.decimal_places) for r in current.itertuples()
            ],
            "england": [format_number(r.england, r.unit, r.decimal_places) for r in current.itertuples()],
            "trend": current["indicator_id"].map(sparklines),
            "dq": [dq_marker(r.dq_rule_codes, r.dq_children) for r in current.itertuples()],
            "benchmark_year": [
                published_year_label(r.benchmark_year, r.indicator_id)
                if pd.notna(r.benchmark_year)
                else "none loaded"
                for r in current.itertuples()
            ],
            "polarity": current["polarity"],
        }
    )
    area_rank = {area: n for n, area in enumerate(AREA_ORDER)}
    rows = (
        rows.assign(_order=rows["area"].map(area_rank).fillna(len(AREA_ORDER)))
        .sort_values(["_order", "indicator"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    counts = rag_summary(rows["rag"])
    areas = [a for a in AREA_ORDER if a in set(rows["area"])] + sorted(set(rows["area"]) - set(AREA_ORDER))
    return Scorecard(
        la_code=la_code,
        la_name=la_name(la_code),
        rows=rows,
        areas=areas,
        counts=counts,
        sentence=summary_sentence(counts),
        not_rated=int(rows["rag"].isna().sum()),
        sn_model=sn_model,
        sn_average=sn_average,
        latest_period=max(current["period_end"]),
    )


# ---------------------------------------------------------------------------------------------
# 2 Indicator trend


@dataclass
class IndicatorOption:
    indicator_id: str
    label: str
    period_types: list[str]
    has_values: bool = True


def indicator_options(la_code: str) -> list[IndicatorOption]:
    """Indicators with at least one value for the LA, with the period types each has."""
    store = reader()
    return _indicator_options(str(store.path), store.version, la_code)


@st.cache_data(show_spinner=False, max_entries=32)
def _indicator_options(path: str, version: object, la_code: str) -> list[IndicatorOption]:
    store = Reader(path)
    if version is None:
        return []
    found = store_views.indicator_period_types(store, la_code)
    info = indicator_info(store, la_code).set_index("indicator_id")
    options = []
    for row in found.itertuples():
        types = [t for t in PERIOD_TYPE_ORDER if t in set(row.period_types)]
        name = info["short_name"].get(row.indicator_id, row.indicator_id)
        area = info["area"].get(row.indicator_id, "Local indicators")
        options.append(IndicatorOption(row.indicator_id, f"{name} ({area})", types, bool(row.has_values)))
    order = {area: n for n, area in enumerate(AREA_ORDER)}
    options.sort(
        key=lambda o: (not o.has_values, order.get(o.label.rsplit("(", 1)[-1].rstrip(")"), 9), o.label)
    )
    return options


@dataclass
class IndicatorTrend:
    indicator_id: str
    name: str
    unit: str
    decimal_places: int
    polarity: str
    definition: str
    numerator: str
    denominator: str
    source: str
    period_type: str
    rows: pd.DataFrame  # period_end, value, numerator, denominator, status, target, comparators
    table: pd.DataFrame  # the same rows formatted for reading
    findings: pd.DataFrame  # data-quality findings for the months shown
    has_values: bool = True  # False when every value is suppressed or missing (nothing to chart)
    short_name: str = ""  # what the chart's axis calls it

    def about(self) -> str:
        """The definition, numerator, denominator, polarity and source as markdown."""
        polarity = {"High": "higher is better", "Low": "lower is better"}.get(self.polarity, "none")
        return (
            f"{self.definition}\n\n**Numerator:** {self.numerator or MISSING}  \n"
            f"**Denominator:** {self.denominator or MISSING}  \n**Polarity:** {polarity}  \n"
            f"**Source:** {self.source}"
        )


def indicator_trend(
    la_code: str,
    indicator_id: str,
    period_type: str,
    sn_model: str = DEFAULT_SN_MODEL,
    sn_average: str = "mean",
) -> IndicatorTrend:
    store = reader()
    return _indicator_trend(
        str(store.path), store.version, la_code, indicator_id, period_type, sn_model, sn_average
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _indicator_trend(
    path: str,
    version: object,
    la_code: str,
    indicator_id: str,
    period_type: str,
    sn_model: str,
    sn_average: str,
) -> IndicatorTrend:
    store = Reader(path)
    info = indicator_info(store, la_code).set_index("indicator_id").loc[indicator_id]
    table = _kpi_table(path, version, la_code, sn_model, indicator_id, period_type)
    catalogue = load_catalogue()
    entry = catalogue.get(indicator_id) if indicator_id in catalogue else None
    sources = ", ".join(sorted(set(table["source"].dropna()))) if not table.empty else ""
    unit, places = str(info["unit"]), int(info["decimal_places"])
    sn_column = "sn_median" if sn_average == "median" else "sn_mean"
    readable = pd.DataFrame(
        {
            "Period end": table["period_end"],
            "Value": [format_number(r.value, unit, places, r.status) for r in table.itertuples()],
            "Numerator": table["numerator"].map(format_count),
            "Denominator": table["denominator"].map(format_count),
            "Target": [format_number(t, unit, places) for t in table["target"]],
            "RAG": table["rag"].map(rag_label),
            f"SN {sn_average}": [format_number(v, unit, places) for v in table[sn_column]],
            "England": [format_number(v, unit, places) for v in table["england"]],
            "Source": table["source"],
            "Denominator source": table["denominator_source"],
            "Note": table["note"],
            "Data quality (DfE rules)": [
                dq_marker(r.dq_rule_codes, r.dq_children) for r in table.itertuples()
            ],
        }
    )
    months = sorted(set(table["period_end"])) if not table.empty else []
    findings = _findings_for_months(store, la_code, months)
    return IndicatorTrend(
        indicator_id=indicator_id,
        name=str(info["name"]),
        unit=unit,
        decimal_places=places,
        polarity=str(info["polarity"]),
        definition=entry.definition if entry else "A local indicator from the LA's performance workbook.",
        numerator=entry.numerator if entry else "",
        denominator=entry.denominator if entry else "",
        source=(entry.source_return if entry else "Performance workbook")
        + (f" (loaded from: {sources})" if sources else ""),
        period_type=period_type,
        rows=table,
        table=readable,
        findings=findings,
        has_values=bool(table["value"].notna().any()),
        short_name=short if isinstance(short := info.get("short_name"), str) and short else str(info["name"]),
    )


FINDING_COLUMNS = {"period_end": "Month", "severity": "Severity", "source_file": "File", "message": "Finding"}


def _findings_for_months(store: Reader, la_code: str, months: list[date]) -> pd.DataFrame:
    """The months' data-quality findings under readable headers, each month as a date."""
    found = store_views.findings_for_months(store, la_code, months)
    if "period_end" in found:
        found = found.assign(period_end=pd.to_datetime(found["period_end"]).dt.date)
    return dash_missing(found).rename(columns=FINDING_COLUMNS)


# ---------------------------------------------------------------------------------------------
# 3 Statistical neighbours and all LAs


@dataclass
class NeighbourView:
    available: bool
    indicator_id: str
    name: str = ""
    unit: str = "number"
    decimal_places: int = 1
    polarity: str = "none"
    years: list[int] = field(default_factory=list)
    year: int | None = None
    sn_model: str = DEFAULT_SN_MODEL
    models: list[str] = field(default_factory=list)
    neighbours: pd.DataFrame = field(default_factory=pd.DataFrame)  # chart frame, best first
    neighbour_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    sn_mean: float | None = None
    sn_median: float | None = None
    sn_count: int = 0
    england: float | None = None
    distribution: pd.DataFrame = field(default_factory=pd.DataFrame)
    distribution_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    cut_points: dict[str, Any] = field(default_factory=dict)
    la_rank: str = "–"
    la_band: str = "–"
    la_value: str = "–"


def benchmark_indicators() -> list[tuple[str, str]]:
    """Catalogue indicators (id, label) with published figures loaded, in catalogue order (all of
    them when none has any, so the page can say what to load)."""
    store = reader()
    return _benchmark_indicators(str(store.path), store.version)


@st.cache_data(show_spinner=False, max_entries=8)
def _benchmark_indicators(path: str, version: object) -> list[tuple[str, str]]:
    everything = [(i.id, f"{i.short_name} ({i.area})") for i in load_catalogue()]
    if version is None:
        return everything
    store = Reader(path)
    if not store.has_table("benchmark_best"):
        return everything
    published = store_views.published_indicators(store)
    with_data = [(i, label) for i, label in everything if i in published]
    return with_data or everything


def published_years(indicator_id: str) -> list[int]:
    """Years with published figures for the indicator, oldest first (empty when none is loaded)."""
    store = reader()
    return _published_years(str(store.path), store.version, indicator_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _published_years(path: str, version: object, indicator_id: str) -> list[int]:
    if version is None:
        return []
    return list(benchmarks.benchmark_years(Reader(path), indicator_id))


def neighbour_view(la_code: str, indicator_id: str, sn_model: str, year: int | None) -> NeighbourView:
    store = reader()
    return _neighbour_view(str(store.path), store.version, la_code, indicator_id, sn_model, year)


@st.cache_data(show_spinner=False, max_entries=64)
def _neighbour_view(
    path: str, version: object, la_code: str, indicator_id: str, sn_model: str, year: int | None
) -> NeighbourView:
    store = Reader(path)
    if version is None:
        return NeighbourView(available=False, indicator_id=indicator_id)
    indicator = load_catalogue().get(indicator_id)
    years = benchmarks.benchmark_years(store, indicator_id)
    models = benchmarks.sn_models(store)
    view = NeighbourView(
        available=bool(years),
        indicator_id=indicator_id,
        name=indicator.name,
        unit=indicator.unit,
        decimal_places=indicator.decimal_places,
        polarity=indicator.polarity,
        years=years,
        sn_model=sn_model,
        models=models,
    )
    if not years:
        return view
    view.year = year if year in years else years[-1]
    unit, places = indicator.unit, indicator.decimal_places
    comparison = benchmarks.neighbour_comparison(store, la_code, indicator_id, view.year, sn_model)
    if not comparison.empty:
        first = comparison.iloc[0]
        view.sn_mean = None if pd.isna(first["sn_mean"]) else float(first["sn_mean"])
        view.sn_median = None if pd.isna(first["sn_median"]) else float(first["sn_median"])
        view.sn_count = int(first["sn_count"])
        ascending = indicator.polarity != "High"
        ordered = comparison.assign(_missing=comparison["value"].isna()).sort_values(
            ["_missing", "value", "neighbour_rank"], ascending=[True, ascending, True]
        )
        view.neighbours = pd.DataFrame(
            {
                "area_name": ordered["la_name"],
                "value": ordered["value"],
                "status": ordered["status"].fillna(""),
                "is_la": ordered["is_focus"].astype(bool),
                "closeness": ordered["closeness"].fillna(""),
            }
        ).reset_index(drop=True)
        view.neighbour_table = pd.DataFrame(
            {
                "LA": comparison["la_name"],
                "Value": [
                    format_number(v, unit, places, s)
                    for v, s in zip(comparison["value"], comparison["status"].fillna(""), strict=True)
                ],
                "Quartile band": comparison["quartile"].fillna("–"),
                "Rank among neighbours (1 = best)": comparison["rank_among_neighbours"].map(
                    lambda r: "–" if pd.isna(r) else str(int(r))
                ),
                "Neighbour rank (1 = closest)": comparison["neighbour_rank"].map(
                    lambda r: "This LA" if r == 0 else str(int(r))
                ),
                "Closeness": comparison["closeness"].fillna(""),
            }
        )
    distribution = benchmarks.all_las_distribution(store, indicator_id, view.year)
    view.distribution = pd.DataFrame(
        {
            "area_code": distribution["la_code"],
            "area_name": distribution["la_name"],
            "value": distribution["value"],
            "band": distribution["quartile"].fillna(""),
        }
    )
    view.distribution_table = pd.DataFrame(
        {
            "Rank (1 = best)": distribution["rank"].map(lambda r: "–" if pd.isna(r) else str(int(r))),
            "LA": distribution["la_name"],
            "Region": distribution["region_name"],
            "Value": [
                format_number(v, unit, places, s or "")
                for v, s in zip(distribution["value"], distribution["status"].fillna(""), strict=True)
            ],
            "Quartile band": distribution["quartile"].fillna("–"),
        }
    )
    view.cut_points = benchmarks.quartile_cut_points(store, indicator_id, view.year)
    mine = distribution[distribution["la_code"] == la_code]
    if not mine.empty:
        row = mine.iloc[0]
        view.la_value = format_number(row["value"], unit, places, row["status"] or "")
        view.la_rank = f"{int(row['rank'])} of {int(row['rank_of'])}" if pd.notna(row["rank"]) else "–"
        view.la_band = str(row["quartile"]) if isinstance(row["quartile"], str) and row["quartile"] else "–"
    view.england = _england_value(store, indicator_id, view.year)
    return view


def _england_value(store: Reader, indicator_id: str, year: int) -> float | None:
    if not store.has_table("benchmark_values"):
        return None
    return store_views.england_value(store, indicator_id, year)


# ---------------------------------------------------------------------------------------------
# 4 Caseloads


GROUP_LABELS = {"service_area": "Service area", "team": "Team", "role": "Role"}


@dataclass
class CaseloadView:
    available: bool
    month_ends: list[date] = field(default_factory=list)
    period_end: date | None = None
    compare_end: date | None = None
    group_type: str = "service_area"
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # seed 001 layout
    overall: dict[str, str] = field(default_factory=dict)
    bands: pd.DataFrame = field(default_factory=pd.DataFrame)  # band, workers, against_standard
    bands_by_role: pd.DataFrame = field(default_factory=pd.DataFrame)
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)  # snapshot_date, group, average_caseload


def caseload_view(
    la_code: str, period_end: date | None, compare_end: date | None, group_type: str
) -> CaseloadView:
    store = reader()
    return _caseload_view(str(store.path), store.version, la_code, period_end, compare_end, group_type)


def _range_text(low: object, high: object) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{int(low)}-{int(high)}"


@st.cache_data(show_spinner=False, max_entries=64)
def _caseload_view(
    path: str,
    version: object,
    la_code: str,
    period_end: date | None,
    compare_end: date | None,
    group_type: str,
) -> CaseloadView:
    store = Reader(path)
    if version is None:
        return CaseloadView(available=False)
    month_ends = list(caseload.caseload_month_ends(store, la_code))
    if not month_ends:
        return CaseloadView(available=False)
    chosen = period_end if period_end in month_ends else month_ends[-1]
    earlier = [m for m in month_ends if m < chosen]
    compare = (
        compare_end
        if compare_end in month_ends and compare_end != chosen
        else (earlier[-1] if earlier else None)
    )
    view = CaseloadView(
        available=True, month_ends=month_ends, period_end=chosen, compare_end=compare, group_type=group_type
    )
    label = GROUP_LABELS.get(group_type, group_type)
    current = caseload.caseload_breakdown(store, la_code, chosen, group_type)
    overall = caseload.caseload_breakdown(store, la_code, chosen, "all")
    table = pd.DataFrame(
        {
            label: current["group_name"],
            f"Caseload average {chosen:%B %Y}": current["average"].map(
                lambda v: format_number(v, "number", 1)
            ),
            f"Range {chosen:%B %Y}": [
                _range_text(a, b) for a, b in zip(current["min_cases"], current["max_cases"], strict=True)
            ],
            f"Within standard {chosen:%B %Y}": current["share_within_standard"].map(
                lambda v: format_number(v, "%", 0)
            ),
            "Case holders": current["case_holders"],
        }
    )
    if compare is not None:
        before = caseload.caseload_breakdown(store, la_code, compare, group_type)
        before = pd.DataFrame(
            {
                label: before["group_name"],
                f"Caseload average {compare:%B %Y}": before["average"].map(
                    lambda v: format_number(v, "number", 1)
                ),
                f"Range {compare:%B %Y}": [
                    _range_text(a, b) for a, b in zip(before["min_cases"], before["max_cases"], strict=True)
                ],
            }
        )
        table = before.merge(table, on=label, how="outer").fillna("–")
    view.table = table
    if not overall.empty:
        row = overall.iloc[0]
        view.overall = {
            "average": format_number(row["average"], "number", 1),
            "range": _range_text(row["min_cases"], row["max_cases"]),
            "case_holders": str(int(row["case_holders"])),
            "within_standard": format_number(row["share_within_standard"], "%", 0),
        }
    distribution = caseload.caseload_distribution(store, la_code, chosen)
    view.bands_by_role = pd.DataFrame(
        {
            "Role": distribution["role"],
            "Cases per FTE": distribution["caseload_band"].astype(str),
            "Workers": distribution["workers"],
            "Against the role's standard": distribution["against_standard"]
            .map(STANDARD_WORDS)
            .fillna("No standard"),
        }
    )
    view.bands = _bands(distribution)
    trend = caseload.caseload_trend(store, la_code, group_type)
    view.trend = pd.DataFrame(
        {
            "snapshot_date": pd.to_datetime(trend["period_end"]),
            "group": trend["group_name"],
            "average_caseload": trend["average"],
        }
    )
    return view


STANDARD_WORDS = {"below": "Below", "within": "Within", "above": "Above"}


def _bands(distribution: pd.DataFrame) -> pd.DataFrame:
    """Workers per caseload band across roles, split by below / within / above / no standard, in
    band order (every band a worker is in, the open top band last)."""
    if distribution.empty:
        return pd.DataFrame(columns=["band", "against_standard", "workers"])
    labelled = distribution.assign(
        band=distribution["caseload_band"].astype(str),
        standard=distribution["against_standard"].fillna("none"),
    )
    summed = labelled.groupby(["band", "standard"], as_index=False, sort=False)["workers"].sum()
    band_rank = {b: n for n, b in enumerate(caseload.BAND_ORDER)}
    standard_rank = {s: n for n, s in enumerate((*caseload.STANDARD_POSITIONS, "none"))}
    summed = summed.assign(
        band_order=summed["band"].map(band_rank), standard_order=summed["standard"].map(standard_rank)
    ).sort_values(["band_order", "standard_order"])
    return pd.DataFrame(
        {
            "band": summed["band"],
            "against_standard": summed["standard"].where(summed["standard"] != "none", None),
            "workers": summed["workers"].astype(int),
        }
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# 5 Improvement plan


@dataclass
class PlanView:
    available: bool
    recommendations: pd.DataFrame = field(default_factory=pd.DataFrame)
    links: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: dict[str, int] = field(default_factory=dict)
    sentence: str = ""
    not_rated: int = 0
    rule: str = ""


def improvement_plan_view(la_code: str, sn_model: str = DEFAULT_SN_MODEL) -> PlanView:
    store = reader()
    return _improvement_plan_view(str(store.path), store.version, la_code, sn_model)


@st.cache_data(show_spinner=False, max_entries=16)
def _improvement_plan_view(path: str, version: object, la_code: str, sn_model: str) -> PlanView:
    from metrics import improvement_plan

    store = Reader(path)
    if version is None:
        return PlanView(available=False)
    status = improvement_plan.plan_status(store, la_code, sn_model=sn_model)
    if status.recommendations.empty:
        return PlanView(available=False, rule=improvement_plan.RAG_RULE)
    recs = status.recommendations
    table = pd.DataFrame(
        {
            "Ref": recs["ref"],
            "Recommendation": recs["recommendation"],
            "RAG": recs["rag"].map(rag_label),
            "How rated": recs["rag_basis"],
            "Linked indicators": recs["linked_names"],
            "Baseline": recs["baseline"].fillna(""),
            # the plan's own wording; each linked indicator is rated against its "Target used"
            "Plan's target (as written)": recs["target"].fillna(""),
            "Target date": recs["target_date"].map(
                lambda d: "" if pd.isna(d) else f"{pd.Timestamp(d):%b %Y}"
            ),
            "Area": recs["area"].fillna(""),
            "Owner": recs["owner"].fillna(""),
            "rag": recs["rag"],
        }
    )
    links = status.links
    link_table = pd.DataFrame(
        {
            "Ref": links["ref"],
            "Indicator": links["indicator_name"],
            "Latest": [
                format_number(r.value, r.unit, r.decimal_places, r.status) for r in links.itertuples()
            ],
            "Period": [period_label(r.period_end, r.period_type, r.indicator_id) for r in links.itertuples()],
            "Target used": [
                format_number(r.target_used, r.unit, r.decimal_places) for r in links.itertuples()
            ],
            "Target from": links["target_source"],
            "RAG": links["rag"].map(rag_label),
            "rag": links["rag"],
        }
    )
    return PlanView(
        available=True,
        recommendations=table,
        links=link_table,
        counts=status.counts,
        sentence=summary_sentence(status.counts),
        not_rated=status.not_rated,
        rule=improvement_plan.RAG_RULE,
    )


# ---------------------------------------------------------------------------------------------
# 6 Data


@dataclass
class DataView:
    exists: bool
    load_log: pd.DataFrame = field(default_factory=pd.DataFrame)
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    kpi_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    validation: pd.DataFrame = field(default_factory=pd.DataFrame)  # DfE rule findings, every LA


def data_view() -> DataView:
    store = reader()
    return _data_view(str(store.path), store.version)


@st.cache_data(show_spinner=False, max_entries=8)
def _data_view(path: str, version: object) -> DataView:
    store = Reader(path)
    if version is None:
        return DataView(exists=False)
    log_rows = store_views.load_log(store)
    findings = store_views.all_findings(store)
    kpi_counts = store_views.kpi_coverage(store)
    validation_findings = validation.findings_for_la(store, None)
    return DataView(
        exists=True,
        load_log=dash_missing(log_rows).rename(
            columns={
                "loaded_at": "When",
                "file_name": "File",
                "kind": "Kind",
                "la_code": "LA",
                "rows": "Rows",
                "outcome": "Outcome",
                "messages": "Messages",
            }
        ),
        findings=dash_missing(findings).rename(
            columns={
                "period_end": "Month",
                "severity": "Severity",
                "kind": "Kind",
                "source_file": "File",
                "location": "Where",
                "message": "Finding",
            }
        ),
        kpi_counts=dash_missing(kpi_counts).rename(
            columns={
                "la_code": "LA",
                "source": "Source",
                "kpi_values": "KPI values",
                "first_period": "From",
                "last_period": "To",
            }
        ),
        validation=_validation_table(validation_findings),
    )


def _validation_table(found: pd.DataFrame) -> pd.DataFrame:
    """DfE validation findings as the Data page lists them (counts, never a child's details)."""
    table = found.assign(
        return_name=found["return_name"].map({"ssda903": "SSDA903", "cin": "CIN census"}),
        column_names=found["column_names"].map(", ".join),
        indicators=found["indicators"].map(", ".join),
    )
    return table[
        ["la_code", "return_name", "collection_year", "rule_code", "severity", "message",
         "table_name", "column_names", "first_row", "rows", "children", "first_month",
         "last_month", "indicators"]
    ].rename(
        columns={
            "la_code": "LA", "return_name": "Return", "collection_year": "Year",
            "rule_code": "Rule", "severity": "Severity", "message": "DfE message",
            "table_name": "Table", "column_names": "Columns", "first_row": "First row",
            "rows": "Rows", "children": "Children", "first_month": "From month",
            "last_month": "To month", "indicators": "Indicators it can change",
        }
    )


def validation_rules() -> pd.DataFrame:
    """The DfE validation rules checked, one row per code and span of collection years."""
    rules = validation.rule_catalogue()
    return rules.assign(
        years=rules["first_year"].astype(str) + " to " + rules["last_year"].astype(str),
        indicators=rules["indicators"].map(", ".join),
    )[["return", "code", "years", "severity", "message", "indicators"]].rename(
        columns={"return": "Return", "code": "Rule", "years": "Collection years",
                 "severity": "Severity", "message": "DfE message", "indicators": "Indicators"}
    )


def ingest_uploads(files: list[tuple[str, bytes]], la_code: str | None = None) -> UploadResult:
    """Save uploads to a temporary folder and ingest them as one batch, as the CLI does.

    Never raises for bad input: the report's messages are the CLI's messages. Raises
    PermissionDenied unless the user is an analyst or admin.
    """
    from loaders.ingest import ingest

    user = auth.require("analyst", "Loading files")
    from metrics.compute import recompute

    store = reader()
    with tempfile.TemporaryDirectory(prefix="csc-upload-") as folder:
        paths = []
        for number, (name, content) in enumerate(files):
            safe = Path(name).name or f"upload-{number}"
            target = Path(folder) / f"{number:02d}" / safe  # keep the name: loaders read it
            target.parent.mkdir()
            target.write_bytes(content)
            paths.append(target)
        report = ingest(
            paths,
            db=store.path,
            la_code=la_code or None,
            derive=recompute,
            display_names=[Path(name).name for name, _ in files],
            user=user.name,
        )
    summaries = [
        (f"{r.outcome}: {r.file} ({r.kind or 'unknown kind'}, {r.rows} rows)", r.messages)
        for r in report.files
    ]
    return upload_result(report.ok, summaries, report.messages)


# ---------------------------------------------------------------------------------------------
# 7 Export


@dataclass
class ExportView:
    frame: pd.DataFrame  # exactly the rows and columns of the CSV
    preview: pd.DataFrame  # the same, with suppressed count columns as text for display
    csv: bytes
    file_name: str
    suppressed_cells: int
    small_cells: int = 0  # hidden as small counts themselves
    complementary_cells: int = 0  # hidden because they would give a small count back by subtraction
    selection: str = ""  # the filters, for the audit log (loaders.audit.export_what)

    def suppression_note(self, threshold: int) -> str:
        """What the suppressed cells are and why the same ones are hidden in every export."""
        return (
            f"{self.small_cells} cells are counts from 1 to {threshold - 1}; "
            f"{self.complementary_cells} more are hidden because, with the other cells shown, "
            "subtraction would give such a count back (for example year to date minus the year to "
            "date a month earlier gives that month, denominator minus numerator gives the "
            "complement). Which cells are hidden is decided once over all of the LA's indicators, "
            "months and period types, so every export hides the same cells and putting exports "
            "side by side reveals nothing more. The preview's last column says why each is hidden."
        )


def export_options(la_code: str) -> tuple[list[IndicatorOption], list[date]]:
    """Indicators and month ends the LA has values for (the export page's choices)."""
    store = reader()
    return _indicator_options(str(store.path), store.version, la_code), _period_ends(
        str(store.path), store.version, la_code
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _period_ends(path: str, version: object, la_code: str) -> list[date]:
    if version is None:
        return []
    return store_views.period_ends(Reader(path), la_code)


def export_view(
    la_code: str,
    indicators: list[str] | None,
    period_from: date | None,
    period_to: date | None,
    period_type: str | None,
    sn_model: str,
    suppress_below: int | None,
) -> ExportView:
    """The export for these filters; an unsuppressed (child-derived) export, or one suppressed below
    the admin's publication threshold, needs the analyst role; a viewer may download the suppressed
    one (PermissionDenied otherwise)."""
    store = reader()
    if suppress_below is None:
        auth.require("analyst", "Exporting without small-number suppression")
    elif store.version is not None:
        floor = admin_settings.suppression_threshold(store)
        if suppress_below < floor:
            auth.require("analyst", f"Exporting with a suppression threshold under {floor} (the admin's)")
    return _export_view(
        str(store.path),
        store.version,
        la_code,
        tuple(indicators) if indicators else None,
        period_from,
        period_to,
        period_type,
        sn_model,
        suppress_below,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _export_view(
    path: str,
    version: object,
    la_code: str,
    indicators: tuple[str, ...] | None,
    period_from: date | None,
    period_to: date | None,
    period_type: str | None,
    sn_model: str,
    suppress_below: int | None,
) -> ExportView:
    from loaders.audit import export_what
    from metrics.export import suppressed_export, to_csv_bytes

    frame, why = suppressed_export(
        Reader(path),
        la_code,
        indicators=list(indicators) if indicators else None,
        period_from=period_from,
        period_to=period_to,
        period_type=period_type,
        sn_model=sn_model,
        suppress_below=suppress_below,
    )
    reasons = why.stack()
    small = int((reasons == "small").sum())
    complementary = int((reasons == "complementary").sum())
    parts = [la_code, period_type or "all-periods"]
    if period_from:
        parts.append(f"{period_from:%Y-%m}")
    if period_to:
        parts.append(f"{period_to:%Y-%m}")
    if suppress_below is not None:
        parts.append(f"suppressed-below-{suppress_below}")
    file_name = "kpis-" + "-".join(parts) + ".csv"
    preview = frame
    if suppress_below is not None:
        preview = frame.assign(
            **{
                column: frame[column].map(
                    lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                )
                for column in ("numerator", "denominator", "value")
            },
            hidden_because=why.apply(_why_hidden, axis=1),
        )
    return ExportView(
        frame=frame,
        preview=preview,
        csv=to_csv_bytes(frame),
        file_name=file_name,
        suppressed_cells=small + complementary,
        small_cells=small,
        complementary_cells=complementary,
        selection=export_what(
            file_name, la_code, indicators, period_from, period_to, period_type, suppress_below
        ),
    )


def record_export(selection: str) -> None:
    """The audit log entry for a download from the Export page (its button's on_click)."""
    from loaders.audit import record

    with write_session(reader().path) as writer:
        record(writer, auth.current_user().name, "export", selection)


def audit_log() -> pd.DataFrame:
    """Who loaded, exported or wrote commentary, and when (newest first); admins only."""
    from loaders.audit import audit_entries

    auth.require("admin", "Reading the audit log")
    return audit_entries(reader()).rename(
        columns={"recorded_at": "When", "user_name": "Who", "action": "Action", "what": "What"}
    )


def _why_hidden(reasons: pd.Series) -> str:
    """The preview's note on a row's hidden cells, e.g. "numerator: a count from 1 to ..."."""
    from metrics.disclosure import WHY_TEXT

    return "; ".join(
        f"{column}: {WHY_TEXT[reason]}" for column, reason in reasons.items() if reason in WHY_TEXT
    )


# ---------------------------------------------------------------------------------------------
# First run: the demo store


def build_demo_store() -> str | None:
    """Build the synthetic demo store where the dashboard expects its data; None on success, else
    a message saying why not and what to do instead (never raises)."""
    path = default_db_path()
    from loaders.demo import build_demo  # only on a first run: keeps the generator off start-up

    try:
        report = build_demo(path)
    except Exception:
        log.exception("building the demo store failed")
        return (
            "No data is loaded and the demo data could not be built (the details are in the log). "
            f"Load your own files with `{LOAD_COMMAND}` or upload them on the Data page."
        )
    if getattr(report, "ok", True) is False:
        log.error("the demo load failed: %s", "; ".join(getattr(report, "messages", [])))
        return (
            "No data is loaded and the demo data could not be loaded (the details are in the log). "
            f"Load your own files with `{LOAD_COMMAND}` or upload them on the Data page."
        )
    if not Path(path).exists():
        return f"The demo builder finished but {path} was not created. Load files on the Data page."
    return None
