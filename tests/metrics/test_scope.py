"""Incremental recompute: what it redoes must give exactly what a full recompute gives.

One synthetic LA's files go through the real loaders: everything as extracted a month before the
end, then the month's new files with the incremental recompute that follows (the monthly case),
and then single files changed at random (a corrected DECOM, a closure removed, a review added...),
each followed by its own incremental recompute. Every time, the stored computed values must be the
values a full recompute gives, and the change capture must account for every difference the load
made to the captured tables.

The random corrections run 15 examples in the normal suite (about a minute on 2 cores); a thorough
run sets SCOPE_EXAMPLES, e.g. `SCOPE_EXAMPLES=300 pytest tests/metrics/test_scope.py -n 0`.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from loaders.base import KPI_COLUMNS, IngestContext
from loaders.changes import CAPTURED_TABLES
from loaders.ingest import ingest
from loaders.store import Writer
from loaders.synthetic import generate
from metrics import compute, scope
from metrics.caseload import BREAKDOWN_COLUMNS, compute_breakdown
from tests.perf.scale import split_current_year

LA = "929"
END = date(2025, 10, 31)
CUT = date(2025, 9, 30)
KEY = ["la_code", "indicator_id", "period_end", "period_type"]


def stored_computed(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current computed value of every KPI in a store."""
    return con.execute(
        "select * exclude (rn) from (select *, row_number() over (partition by la_code, indicator_id, "
        "period_end, period_type order by version desc) as rn from kpi_history where origin = 'computed') "
        "where rn = 1"
    ).df()[KPI_COLUMNS]


def assert_same_as_full_recompute(db: Path) -> None:
    """Stored computed KPIs and caseload breakdown equal a full recompute of the same inputs."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        writer = Writer(con=con, path=db)
        expected = compute.compute_all(writer)[KPI_COLUMNS]
        stored = stored_computed(con)
        breakdown = con.execute("select * from caseload_breakdown").df()[BREAKDOWN_COLUMNS]
        expected_breakdown = compute_breakdown(writer)
    finally:
        con.close()
    for frame in (expected, stored):
        frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    merged = expected.merge(stored, on=KEY, how="left", suffixes=("", "_stored"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", KEY].head()
    for column in ("numerator", "denominator", "value"):
        left, right = merged[column].astype("float64"), merged[f"{column}_stored"].astype("float64")
        differs = ~((left - right).abs().le(1e-9) | (left.isna() & right.isna()))
        assert not differs.any(), merged.loc[differs, [*KEY, column, f"{column}_stored"]].head()
    assert (merged["status"].fillna("") == merged["status_stored"].fillna("")).all()
    order = ["la_code", "period_end", "group_type", "group_name"]
    for frame in (breakdown, expected_breakdown):
        frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    pd.testing.assert_frame_equal(
        breakdown.sort_values(order).reset_index(drop=True),
        expected_breakdown.sort_values(order).reset_index(drop=True),
        check_dtype=False,
    )


def net_difference(before: pd.DataFrame, after: pd.DataFrame) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Per part, LA and month: (rows, fingerprint) after minus before, where not zero."""
    key = ["table_name", "la_code", "month"]
    exact = {"rows": object, "fingerprint": object}
    merged = before.astype(exact).merge(
        after.astype(exact), on=key, how="outer", suffixes=("_before", "_after")
    )
    merged = merged.astype(object).where(merged.notna(), 0)  # exact integers, no float on the way
    result = {}
    for row in merged.itertuples(index=False):
        rows = int(row.rows_after) - int(row.rows_before)
        fingerprint = (int(row.fingerprint_after) - int(row.fingerprint_before)) % scope.FINGERPRINT_MODULUS
        if rows or fingerprint:
            result[(row.table_name, row.la_code, pd.Timestamp(row.month).date())] = (rows, fingerprint)
    return result


class Recorder:
    """An ingest `derive` that checks the change capture, then recomputes and keeps the scope."""

    def __init__(self, before_db: Path) -> None:
        con = duckdb.connect(str(before_db), read_only=True)
        try:
            self.before = scope.current_fingerprints(Writer(con=con, path=before_db), CAPTURED_TABLES)
        finally:
            con.close()
        self.scope: pd.DataFrame | None = None

    def __call__(self, writer: Writer, context: IngestContext) -> None:
        after = scope.current_fingerprints(writer, CAPTURED_TABLES)
        captured = {
            (r.table_name, r.la_code, pd.Timestamp(r.month).date()): (
                int(r.rows), int(r.fingerprint) % scope.FINGERPRINT_MODULUS
            )
            for r in scope.change_fingerprints(writer).itertuples(index=False)
        }
        difference = net_difference(self.before, after)
        # A header row is filed under its child's first episode, a date from another table: a
        # child's first episode arriving moves the row without changing it. Elsewhere the capture
        # is exact; there, what moved must be at or after a captured change for the LA.
        exact = {k: v for k, v in difference.items() if not k[0].startswith("ssda903_header")}
        assert exact == {k: v for k, v in captured.items() if not k[0].startswith("ssda903_header")}
        first_captured = {}
        for _, la_code, month in captured:
            first_captured[la_code] = min(month, first_captured.get(la_code, month))
        for _, la_code, month in difference:
            assert la_code in first_captured and first_captured[la_code] <= month
        self.scope = compute.recompute(writer, context)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The LA's files, and a store with everything as extracted at CUT, recomputed."""
    folder = tmp_path_factory.mktemp("scope")
    report = generate(folder / "files", las=1, years=3, seed=3, children_looked_after=90, end=END,
                      first_la=LA)
    la = report.las[0]
    generated = {
        "files": {la.la_code: {"ssda903": [str(p) for p in la.ssda903_files],
                               "cin": [str(p) for p in la.cin_files],
                               "caseload": [str(p) for p in la.caseload_files]}},
        "population": str(report.population_file),
    }
    baseline, increment, _ = split_current_year(generated, END, folder / "as_of")
    db = folder / "baseline.duckdb"
    result = ingest(baseline, db=db, la_code=LA, derive=compute.recompute, today=CUT + timedelta(days=1))
    assert result.ok, result.messages[:5]
    return {"folder": folder, "baseline": db, "baseline_files": baseline, "increment": increment, "la": la}


def copy_of(path: Path, folder: Path) -> Path:
    target = folder / f"store-{random.getrandbits(32):08x}.duckdb"
    shutil.copyfile(path, target)
    return target


def test_the_monthly_load_redoes_only_recent_months_and_matches_a_full_recompute(
    world: dict[str, Any], tmp_path: Path
) -> None:
    db = copy_of(world["baseline"], tmp_path)
    recorder = Recorder(db)
    result = ingest(world["increment"], db=db, la_code=LA, derive=recorder, today=END + timedelta(days=1))
    assert result.ok, result.messages[:5]
    assert recorder.scope is not None and set(recorder.scope["la_code"]) == {LA}
    assert set(recorder.scope["family"]) <= set(scope.FAMILIES)
    first_redone = recorder.scope["from_date"].min()
    assert date(2025, 1, 1) <= first_redone <= date(2025, 10, 1)  # months, not years, redone
    assert_same_as_full_recompute(db)


def test_loading_nothing_new_recomputes_nothing(world: dict[str, Any], tmp_path: Path) -> None:
    db = copy_of(world["baseline"], tmp_path)
    before = duckdb.connect(str(db), read_only=True)
    rows_before = before.execute("select count(*) from kpi_history").fetchall()
    before.close()
    recorder = Recorder(db)
    first = world["la"].ssda903_files[0]
    changed = tmp_path / first.name
    changed.write_bytes(first.read_bytes() + b"\n")  # another file, the same records
    assert ingest([changed], db=db, la_code=LA, derive=recorder, today=CUT + timedelta(days=1)).ok
    assert recorder.scope is not None and recorder.scope.empty
    after = duckdb.connect(str(db), read_only=True)
    assert after.execute("select count(*) from kpi_history").fetchall() == rows_before
    after.close()


# --------------------------------------------------------------- random corrections to one file

def _shifted(text: str, days: int, dayfirst: bool) -> str:
    fmt = "%d/%m/%Y" if dayfirst else "%Y-%m-%d"
    try:
        day = datetime.strptime(text, fmt).date()
    except ValueError:  # a date the generator spoiled on purpose (e.g. 31 February) stays as it is
        return text
    return (day + timedelta(days=days)).strftime(fmt)


def corrected_903(source: Path, target: Path, change: str, rng: random.Random) -> None:
    """An episodes table with one row changed: a date moved, a code changed, a DEC removed or
    added, or the row dropped."""
    with open(source, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    row = rng.choice(rows)
    if change == "decom":
        row["DECOM"] = _shifted(row["DECOM"], rng.randint(-400, 60), True)
    elif change == "dec":
        row["DEC"] = _shifted(row["DEC"] or row["DECOM"], rng.randint(1, 500), True)
        row["REC"] = row["REC"] or "E11"
    elif change == "no_dec":
        row.update({"DEC": "", "REC": "", "REASON_PLACE_CHANGE": ""})
    elif change == "rne":
        row["RNE"] = rng.choice(["S", "P", "T", "L", "U", "B"])
    elif change == "ls":
        row["LS"] = rng.choice(["C2", "E1", "V2", "V3", "J2"])
    elif change == "place":
        row["PLACE"] = rng.choice(["U1", "U4", "K2", "A5", "R1", "P1"])
    else:
        rows.remove(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(buffer.getvalue(), encoding="utf-8")


CIN_DATES = ("CINreferralDate", "CINclosureDate", "AssessmentAuthorisationDate", "AssessmentActualStartDate",
             "S47ActualStartDate", "DateOfInitialCPC", "CPPstartDate", "CPPendDate", "CPPreviewDate")


def corrected_cin(source: Path, target: Path, change: str, rng: random.Random) -> None:
    """A census with one element changed: a date moved or removed, a reason for closure or a
    number of previous plans changed, or a review added."""
    tree = etree.parse(str(source))
    if change.startswith(("move:", "remove:")):
        elements = [e for e in tree.iter(change.split(":")[1]) if e.text]
        assume(elements)
        element = rng.choice(elements)
        if change.startswith("move:"):
            element.text = _shifted(element.text.strip(), rng.randint(-200, 200), False)
        else:
            element.getparent().remove(element)
    elif change == "closure_reason":
        element = rng.choice([e for e in tree.iter("ReasonForClosure")])
        element.text = rng.choice(["RC1", "RC7", "RC8", "RC9"])
    elif change == "previous_plans":
        elements = list(tree.iter("NumberOfPreviousCPP"))
        assume(elements)
        rng.choice(elements).text = str(rng.choice([0, 1, 2]))
    else:
        reviews = list(tree.iter("CPPreviewDate"))
        assume(reviews)
        review = rng.choice(reviews)
        extra = etree.SubElement(review.getparent(), "CPPreviewDate")
        extra.text = _shifted(review.text.strip(), rng.randint(20, 250), False)
    tree.write(str(target), xml_declaration=True, encoding="utf-8")


def corrected_caseload(source: Path, target: Path, change: str, rng: random.Random) -> None:
    """A caseload list with one worker's cases or FTE changed."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
    row = rng.choice(rows)
    column = header.index(change)
    row[column] = str(rng.randint(0, 30)) if header[column] == "cases" else rng.choice(["0.5", "1.0", "0.8"])
    target.write_text("\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n", encoding="utf-8")


def files_of(world: dict[str, Any], kind: str) -> list[Path]:
    """The files as loaded in the baseline store, of the last two years for 903 and CIN (older
    903 rows are mostly superseded by the next year's, so correcting them changes nothing)."""
    baseline = [Path(p) for p in world["baseline_files"]]
    if kind == "903":
        return sorted((p for p in baseline if p.name.endswith("-episodes.csv")), key=lambda p: p.name)[-2:]
    if kind == "cin":
        return sorted((p for p in baseline if p.suffix == ".xml"), key=lambda p: p.name)[-2:]
    return [p for p in baseline if p.name.startswith("caseload-")]


CORRECTIONS = {
    ("903", change): corrected_903 for change in ("decom", "dec", "no_dec", "rne", "ls", "place", "drop")
} | {
    ("cin", change): corrected_cin
    for change in (
        *(f"{how}:{name}" for how in ("move", "remove") for name in CIN_DATES),
        "closure_reason", "previous_plans", "review",
    )
} | {("caseload", change): corrected_caseload for change in ("cases", "fte")}


@settings(
    max_examples=int(os.environ.get("SCOPE_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    correction=st.sampled_from(sorted(CORRECTIONS)), choice=st.integers(0, 10**6), seed=st.integers(0, 10**6)
)
def test_a_corrected_file_redoes_what_it_changed_and_matches_a_full_recompute(
    world: dict[str, Any], tmp_path: Path, correction: tuple[str, str], choice: int, seed: int
) -> None:
    kind, change = correction
    candidates = files_of(world, kind)
    source = candidates[choice % len(candidates)]
    folder = Path(tempfile.mkdtemp(prefix=f"{kind}-{change}-", dir=tmp_path))
    corrected = folder / source.name
    CORRECTIONS[correction](source, corrected, change, random.Random(seed))
    db = copy_of(world["baseline"], folder)
    recorder = Recorder(db)
    result = ingest([corrected], db=db, la_code=LA, derive=recorder, today=CUT + timedelta(days=1))
    assume(result.ok)  # a correction the loader refuses (a date before a start, say) changes nothing
    assert_same_as_full_recompute(db)
