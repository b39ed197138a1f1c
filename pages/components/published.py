"""The pages' views of an LA's published figures (any LA, with or without its own records).

Numbers come from metrics.published_view; this module labels and formats them for the pages and
caches them on the store's version, as pages/components/data.py does for the LA's own values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from loaders.base import la_name
from loaders.published import release_of
from loaders.store import Reader
from metrics import published_view
from metrics.catalogue import load_catalogue
from metrics.export import to_csv_bytes
from pages.components.data import AREA_ORDER, reader
from pages.components.formatting import direction_label, format_number, published_year_label

PUBLISHED_ONLY_NOTE = (
    "{name} has no records of its own in this store, so these are its published figures (the "
    "DfE's latest published year for each indicator), beside its statistical neighbours, region and "
    "England. In-year figures (months, year to date, rolling 12 months, targets and RAG) need its "
    "own records: load them on the Data page."
)
SCORECARD_COLUMNS = {
    "indicator": "Indicator",
    "year": "Published year",
    "value": "LA value",
    "sn": "Statistical neighbours",
    "region": "Region",
    "england": "England",
    "rank": "Rank (1 = best)",
    "quartile": "Quartile (A = best)",
    "direction": "Direction from the year before",
}


def published_only_note(la_code: str) -> str:
    return PUBLISHED_ONLY_NOTE.format(name=f"{la_name(la_code)} ({la_code})")


@dataclass
class PublishedScorecard:
    areas: list[str]
    rows: pd.DataFrame  # display columns (SCORECARD_COLUMNS) plus area


def published_scorecard(la_code: str, sn_model: str, sn_average: str) -> PublishedScorecard:
    store = reader()
    return _published_scorecard(str(store.path), store.version, la_code, sn_model, sn_average)


def _rank_text(rank: object, rank_of: object) -> str:
    if pd.isna(rank) or pd.isna(rank_of):  # type: ignore[arg-type]
        return "–"
    return f"{int(rank)} of {int(rank_of)}"  # type: ignore[call-overload]


@st.cache_data(show_spinner=False, max_entries=32)
def _published_scorecard(
    path: str, version: object, la_code: str, sn_model: str, sn_average: str
) -> PublishedScorecard:
    card = published_view.published_scorecard(Reader(path), la_code, sn_model)
    if card.empty:
        return PublishedScorecard([], pd.DataFrame(columns=[*SCORECARD_COLUMNS, "area"]))
    sn_column = "sn_median" if sn_average == "median" else "sn_mean"

    def number(column: str) -> list[str]:
        return [format_number(getattr(r, column), r.unit, r.decimal_places) for r in card.itertuples()]

    rows = pd.DataFrame(
        {
            "area": card["area"],
            "indicator": card["short_name"],
            "year": [published_year_label(r.year, r.indicator_id) for r in card.itertuples()],
            "value": [format_number(r.value, r.unit, r.decimal_places, r.status) for r in card.itertuples()],
            "sn": number(sn_column),
            "region": number("region"),
            "england": number("england"),
            "rank": [_rank_text(r.rank, r.rank_of) for r in card.itertuples()],
            "quartile": card["quartile"].fillna("–").replace("", "–"),
            "direction": card["direction"].map(direction_label),
        }
    )
    order = {area: n for n, area in enumerate(AREA_ORDER)}
    rows = rows.assign(_o=rows["area"].map(order)).sort_values(["_o", "indicator"]).drop(columns="_o")
    areas = [a for a in AREA_ORDER if a in set(rows["area"])]
    return PublishedScorecard(areas, rows.reset_index(drop=True))


@dataclass
class RegionView:
    table: pd.DataFrame  # Area, then one column per published year (formatted)
    ranks: pd.DataFrame  # Published year, LA value, Rank, Quartile
    region_name: str


def region_view(la_code: str, indicator_id: str, sn_model: str) -> RegionView:
    store = reader()
    return _region_view(str(store.path), store.version, la_code, indicator_id, sn_model)


@st.cache_data(show_spinner=False, max_entries=32)
def _region_view(path: str, version: object, la_code: str, indicator_id: str, sn_model: str) -> RegionView:
    store = Reader(path)
    indicator = load_catalogue().get(indicator_id)
    wide = published_view.region_comparison(store, la_code, indicator_id)
    years = [c for c in wide.columns if isinstance(c, int)]
    table = pd.DataFrame({"Area": wide["area"] if not wide.empty else []})
    for year in years:
        table[published_year_label(year, indicator_id)] = [
            format_number(v, indicator.unit, indicator.decimal_places) for v in wide[year]
        ]
    ranks = published_view.rank_history(store, la_code, indicator_id, sn_model)
    rank_table = pd.DataFrame(
        {
            "Published year": ranks["year"].map(lambda y: published_year_label(y, indicator_id)),
            "LA value": [
                format_number(r.value, indicator.unit, indicator.decimal_places, r.status)
                for r in ranks.itertuples()
            ],
            "Rank (1 = best)": [_rank_text(r.rank, r.rank_of) for r in ranks.itertuples()],
            "Quartile (A = best)": ranks["quartile"].fillna("–").replace("", "–"),
        }
    )
    region = wide.loc[wide["kind"] == "region", "area"] if not wide.empty else pd.Series(dtype=str)
    return RegionView(table, rank_table, str(region.iloc[0]) if len(region) else "")


@dataclass
class PublishedExport:
    frame: pd.DataFrame
    csv: bytes
    file_name: str


def published_export(
    la_code: str, sn_model: str, indicators: tuple[str, ...] | None = None
) -> PublishedExport:
    store = reader()
    return _published_export(str(store.path), store.version, la_code, sn_model, indicators)


@st.cache_data(show_spinner=False, max_entries=16)
def _published_export(
    path: str, version: object, la_code: str, sn_model: str, indicators: tuple[str, ...] | None
) -> PublishedExport:
    chosen = list(indicators) if indicators else None
    frame = published_view.published_series(Reader(path), la_code, sn_model, chosen)
    return PublishedExport(frame, to_csv_bytes(frame), f"published-{la_code}-sn{sn_model}.csv")


def published_sources() -> pd.DataFrame:
    store = reader()
    return _published_sources(str(store.path), store.version)


@st.cache_data(show_spinner=False, max_entries=8)
def _published_sources(path: str, version: object) -> pd.DataFrame:
    """The published benchmarks loaded: source, release, file, indicators and years covered."""
    found = published_view.published_sources(Reader(path))
    releases = [release_of(str(name)) for name in found["source_file"]]
    return pd.DataFrame(
        {
            "Source": [
                publisher or source for (publisher, _), source in zip(releases, found["source"], strict=True)
            ],
            "Release": [release for _, release in releases],
            "File": found["source_file"],
            "Indicators": found["indicators"],
            "Years": found["years"],
        }
    )


@dataclass
class PublishedTrend:
    name: str
    unit: str
    decimal_places: int
    rows: pd.DataFrame  # for charts.trend_figure: period_end (the date each figure is at), value, ...
    table: pd.DataFrame  # the same, formatted: published year, LA, SN mean, SN median, region, England


def published_trend(la_code: str, indicator_id: str, sn_model: str) -> PublishedTrend:
    store = reader()
    return _published_trend(str(store.path), store.version, la_code, indicator_id, sn_model)


@st.cache_data(show_spinner=False, max_entries=32)
def _published_trend(
    path: str, version: object, la_code: str, indicator_id: str, sn_model: str
) -> PublishedTrend:
    indicator = load_catalogue().get(indicator_id)
    series = published_view.published_series(Reader(path), la_code, sn_model, [indicator_id])
    rows = series.assign(
        period_end=pd.to_datetime(series["reference_date"]),
        numerator=float("nan"),
        denominator=float("nan"),
        status=series["status"].fillna(""),
        benchmark_year=series["year"],
    )

    def number(column: str) -> list[str]:
        return [format_number(v, indicator.unit, indicator.decimal_places) for v in series[column]]

    table = pd.DataFrame(
        {
            "Published year": series["year"].map(lambda y: published_year_label(y, indicator_id)),
            "LA value": [
                format_number(r.value, indicator.unit, indicator.decimal_places, r.status or "")
                for r in series.itertuples()
            ],
            "SN mean": number("sn_mean"),
            "SN median": number("sn_median"),
            "Region": number("region"),
            "England": number("england"),
        }
    )
    return PublishedTrend(indicator.name, indicator.unit, indicator.decimal_places, rows, table)


def show_published_export(la_code: str, sn_model: str) -> None:
    """The Export page for an LA without its own records: its published figures per year."""
    from pages.components.attribution import published_attribution

    st.info(published_only_note(la_code))
    export = published_export(la_code, sn_model)
    st.markdown(
        f"**{len(export.frame)} rows**: every published year of each indicator with its SN mean and "
        "median, region, England, quartile and rank (as the LAIT download gives them)."
    )
    st.download_button(
        "Download CSV",
        data=export.csv,
        file_name=export.file_name,
        mime="text/csv",
        key="published_export_download",
        on_click="ignore",
        type="primary",
    )
    st.dataframe(export.frame, hide_index=True, width="stretch", key="published_export_preview")
    published_attribution()
