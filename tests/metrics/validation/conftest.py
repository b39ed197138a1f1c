"""Tiny in-memory stores with the 903 or the CIN tables as the loaders write them, for the rule tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from loaders.pseudonyms import keyed_hashes
from loaders.store import Writer, ensure_schema
from metrics.validation import ValidationRule, all_rules

ROOT = Path(__file__).resolve().parents[3]
TABLES_SQL = ROOT / "loaders" / "sql" / "ssda903_tables.sql"
CIN_TABLES_SQL = ROOT / "loaders" / "sql" / "cin_tables.sql"
LA = "929"
FIRST_DATA_ROW = 2
TEST_KEY = b"rule tests"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def episodes_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Episode rows with defaults; source_row is the row's place in its year's file."""
    frame = pd.DataFrame(
        [
            {
                "la_code": row.get("la_code", LA),
                "child": row.get("child", "A"),
                "decom": _date(row["decom"]),
                "rne": row.get("rne", "S"),
                "ls": row.get("ls", "C2"),
                "cin": row.get("cin", "N1"),
                "place": row.get("place", "U1"),
                "place_provider": row.get("place_provider", "PR1"),
                "dec": _date(row.get("dec")),
                "rec": row.get("rec", "E11" if row.get("dec") else ""),
                "reason_place_change": row.get("reason_place_change", ""),
                "collection_year": row.get("year", 2024),
                "source_file": "episodes.csv",
                "batch_id": row.get("batch", "b1"),
                "pl_post": row.get("pl_post", ""),
                "urn": row.get("urn", ""),
            }
            for row in rows
        ]
    )
    frame["source_row"] = frame.groupby(["la_code", "collection_year"]).cumcount() + FIRST_DATA_ROW
    # stored as the loader stores them: keyed hashes, never the values (loaders/pseudonyms.py)
    frame["pl_post_key"] = keyed_hashes(frame.pop("pl_post"), TEST_KEY)
    frame["urn_key"] = keyed_hashes(frame.pop("urn"), TEST_KEY)
    return frame


@contextmanager
def _memory_store(tables_sql: Path) -> Iterator[Writer]:
    con = duckdb.connect()
    ensure_schema(con)
    con.execute(tables_sql.read_text())
    try:
        yield Writer(con=con, path=Path(":memory:"))
    finally:
        con.close()


@pytest.fixture
def store() -> Iterator[Writer]:
    """The 903 tables."""
    with _memory_store(TABLES_SQL) as writer:
        yield writer


@pytest.fixture
def cin_store() -> Iterator[Writer]:
    """The CIN census tables."""
    with _memory_store(CIN_TABLES_SQL) as writer:
        yield writer


def one_rule(return_name: str, code: str, year: int = 2024) -> ValidationRule:
    """The one version of a return's rule `code` for the collection year `year`."""
    found = [r for r in all_rules() if r.return_name == return_name and r.code == code and r.applies_to(year)]
    assert len(found) == 1, f"one {return_name} {code} rule version for {year}"
    return found[0]


def kpi_months(store: Writer, indicator: str, months: list[date]) -> None:
    """KPI values (snapshots of 1.0) for `indicator` at `months`, for findings to bear on."""
    store.insert_frame("kpi_history", pd.DataFrame({
        "la_code": LA, "indicator_id": indicator, "period_end": months, "period_type": "snapshot",
        "value": 1.0, "origin": "computed", "source": "SSDA903", "batch_id": "b",
        "recorded_at": datetime(2024, 5, 1), "version": 1,
    }))


def header_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "la_code": row.get("la_code", LA),
                "child": row.get("child", "A"),
                "sex": row.get("sex", "1"),
                "dob": _date(row.get("dob")),
                "ethnic": row.get("ethnic", "WBRI"),
                "collection_year": row.get("year", 2024),
                "source_file": "header.csv",
            }
            for row in rows
        ]
    )
    frame["source_row"] = range(FIRST_DATA_ROW, len(frame) + FIRST_DATA_ROW)
    return frame


def oc3_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """OC3 rows; the birthday is the DOB's in the collection year (no 29 February here)."""
    records = []
    for row in rows:
        dob = date.fromisoformat(row["dob"])
        year = row.get("year", 2024)
        birthday = dob.replace(year=year - 1 if dob.month >= 4 else year)
        records.append({
            "la_code": row.get("la_code", LA), "child": row.get("child", "A"), "dob": dob,
            "in_touch": row.get("in_touch", "YES"), "activ": row.get("activ", "F2"),
            "accom": row.get("accom", "V1"), "collection_year": year, "birthday": birthday,
            "age_at_birthday": birthday.year - dob.year, "source_file": "oc3.csv",
        })
    frame = pd.DataFrame(records)
    frame["source_row"] = frame.groupby(["la_code", "collection_year"]).cumcount() + FIRST_DATA_ROW
    return frame


def load(
    writer: Writer,
    episodes: Sequence[dict[str, Any]] = (),
    header: Sequence[dict[str, Any]] = (),
    oc3: Sequence[dict[str, Any]] = (),
    coverage: Sequence[int] = (),
    sent: dict[int, Sequence[dict[str, Any]]] | None = None,
) -> None:
    """Write the tables; `coverage` lists the collection years whose episodes file is loaded.

    `sent` is episodes files by collection year, stored as the loader stores them: each file's last
    episode per child kept in ssda903_last_episodes, and per child and DECOM the newest year's row.
    """
    if sent:
        files = {year: episodes_frame([{**row, "year": year} for row in rows])
                 for year, rows in sent.items()}
        merged = pd.concat(files.values(), ignore_index=True).sort_values("collection_year")
        merged = merged.drop_duplicates(["la_code", "child", "decom"], keep="last")
        writer.insert_frame("ssda903_episodes", merged)
        for frame in files.values():
            last = frame.sort_values("decom").drop_duplicates(["la_code", "child"], keep="last")
            writer.insert_frame("ssda903_last_episodes", last[
                ["la_code", "child", "collection_year", "decom", "dec", "rne", "ls", "cin", "place",
                 "place_provider", "urn_key"]
            ])
    if episodes:
        writer.insert_frame("ssda903_episodes", episodes_frame(episodes))
    if header:
        writer.insert_frame("ssda903_header", header_frame(header))
    if oc3:
        writer.insert_frame("ssda903_oc3", oc3_frame(oc3))
    if coverage:
        writer.insert_frame("ssda903_coverage", pd.DataFrame(
            {"la_code": LA, "table_name": "episodes", "collection_year": list(coverage)}
        ))
