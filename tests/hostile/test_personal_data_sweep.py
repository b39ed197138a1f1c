"""The personal-data rule over every message a loader can emit, for every kind of file.

For each loader kind a valid small file is taken and, one column (or XML element) at a time,
every data row's value there is replaced by an identifier-like value: a child id, a UPN, a date of
birth in two spellings, a postcode. Whether the file then loads or is refused, none of those values
may appear in the report's messages, the load log, the audit log or the data-quality findings
(every text column of those tables, which the Data page shows), and no traceback may. The DfE
validation findings are computed after the load and hold counts and the DfE's wording only (their
schema has no column for a value), so the sweep runs without the recompute, to stay fast.
tests/hostile/test_hostile_files.py tests `redact` itself; this sweeps the loaders' real output.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.ingest import IngestReport, ingest
from loaders.published import BENCHMARKS_FILE
from loaders.registry import kinds
from loaders.store import Reader
from tests.conftest import FIXTURES
from tests.fixtures.cin.xml import child_xml, episode_xml, plan_xml, write_census
from tests.pages.store_builder import PLAN_CSV

TODAY = date(2025, 1, 15)
LA = "929"
PLANTED = ("CH48213977", "H801200001234", "17/03/2012", "2012-03-17", "NE61 9QZ")
# each planted value, and the parts of it that would still identify a child if quoted
TELLTALES = ("CH48213977", "48213977", "H801200001234", "801200001234", "17/03/2012", "2012-03-17",
             "NE61 9QZ", "NE619QZ")
TEXT_TABLES = ("load_log", "audit_log", "dq_findings")



def _fixture(folder: str, name: str) -> str:
    return (FIXTURES / folder / name).read_text("utf-8-sig")


CSV_SAMPLES: dict[str, tuple[str, str]] = {  # name -> (kind, the valid file's text)
    "ees": ("ees", _fixture("benchmarks", "d3_cpps_subsequent_plan_small.csv")),
    "lait": ("lait", _fixture("benchmarks", "lait_bds_long_small.csv")),
    "neighbours": ("neighbours", _fixture("benchmarks", "sn_model_2025_small.csv")),
    "caseload_list": ("caseload_list", _fixture("caseload", "caseload_list_small.csv")),
    "ons_population": ("ons_population", _fixture("caseload", "population_small.csv")),
    "903_header": ("ssda903", _fixture("ssda903", "2024-header.csv")),
    "903_episodes": ("ssda903", _fixture("ssda903", "2024-episodes.csv")),
    "903_oc3": ("ssda903", _fixture("ssda903", "2024-oc3.csv")),
    "903_reviews": ("ssda903", _fixture("ssda903", "reviews.csv")),
    "improvement_plan": ("improvement_plan", PLAN_CSV),
    "targets": (
        "targets",
        "Indicator,Year,Target,Tolerance\nrepeat_cp_plans,2023/24,20,\nRe-referrals,2024,22.5%,1.5\n"
        "assessment timeliness,2024-25,85,\nCare leavers in EET,FY2022/23,60,3\n",
    ),
    "performance_workbook": (
        "performance_workbook",
        "Indicator,Apr-24,May-24,Jun-24\nRepeat CP plans,8.1%,10.0%,12.0%\nNumber of contacts,37,41,39\n"
        "Re-referrals,21%,22%,20%\nAgency social workers,12%,11%,13%\n",
    ),
    "commentary": (
        "commentary",
        "Indicator,Month,Text,Author,Recommendation\n"
        'Repeat CP plans,Sep-24,"3 of 37 plans were repeats, down from 5.",Head of Safeguarding,\n'
        "repeat_cp_plans,2024-08,Audit of repeat plans under way.,,\n"
        "Re-referrals,2024-07,Referrals steady.,Head of Service,\n",
    ),
}
FILE_NAMES = {  # the loaders read a 903 table's collection year from its file name
    "903_header": "2024-header.csv", "903_episodes": "2024-episodes.csv", "903_oc3": "2024-oc3.csv",
    "903_reviews": "2024-reviews.csv", "ees": "d3_cpps_subsequent_plan_small.csv",
    "neighbours": "sn_model_2025_small.csv", "lait": "lait_bds_long_small.csv",
}


def _column_groups(header: list[str]) -> list[tuple[str, ...]]:
    """One column at a time, except a neighbour list's 2nd-10th neighbours (codes, then
    positions), which the loader checks alike: planted together, so the sweep stays fast."""
    later = [c for c in header if re.fullmatch(r"SN_([2-9]|10)", c)]
    later_positions = [c for c in header if re.fullmatch(r"SN_([2-9]|10)P", c)]
    singles = [(c,) for c in header if c not in later and c not in later_positions]
    return singles + [tuple(group) for group in (later, later_positions) if group]


def _csv_cases() -> list[tuple[str, tuple[str, ...]]]:
    cases: list[tuple[str, tuple[str, ...]]] = []
    for name, (_, text) in CSV_SAMPLES.items():
        header = next(csv.reader(io.StringIO(text)))
        cases.extend((name, group) for group in _column_groups(header))
    return cases


def _cin_census(folder: Path) -> Path:
    episode = episode_xml(
        "2023-06-01",
        "2024-02-01",
        "RC1",
        assessments=(("2023-06-02", "2023-07-01"),),
        section47s=(("2023-06-05", "2023-06-20"),),
        plans=(plan_xml("2023-06-20", "2024-01-15", reviews=("2023-09-01",)),),
        cin_plans=(("2023-07-02", "2023-12-01"),),
    )
    children = [child_xml("C001", episode), child_xml("C002", episode_xml("2023-09-01"))]
    return write_census(folder, "cin.xml", children, la_code=LA)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with published benchmarks and an improvement plan (commentary refers to indicators)."""
    folder = tmp_path_factory.mktemp("sweep")
    db = folder / "store.duckdb"
    plan = folder / "plan.csv"
    plan.write_text(PLAN_CSV)
    assert ingest([FIXTURES / "benchmarks" / "d3_cpps_subsequent_plan_small.csv", plan], db=db, la_code=LA,
                  today=TODAY).ok
    return db


def _planted_rows(count: int) -> list[str]:
    return [PLANTED[i % len(PLANTED)] for i in range(count)]


def _assert_nothing_planted_is_quoted(db: Path, report: IngestReport, what: str) -> None:
    texts = list(report.messages)
    for result in report.files:
        texts.extend([result.file, *result.messages])
    store = Reader(db)
    for table in TEXT_TABLES:
        if not store.has_table(table):
            continue
        frame = store.query(f"select * from {table}")
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                texts.extend(str(v) for v in frame[column].dropna())
    text = "\n".join(texts)
    assert "Traceback" not in text and "unexpectedly" not in text, f"{what}:\n{text}"
    quoted = [value for value in TELLTALES if value.lower() in text.lower()]
    assert not quoted, f"{what}: {quoted} quoted in\n{text}"


def _ingest_copy(template: Path, tmp_path: Path, path: Path, kind: str) -> tuple[Path, IngestReport]:
    db = tmp_path / "store.duckdb"
    shutil.copy(template, db)
    return db, ingest([path], db=db, la_code=LA, kind=kind, today=TODAY)


def test_every_loader_kind_is_swept() -> None:
    swept = {kind for kind, _ in CSV_SAMPLES.values()} | {"cin_census", "published"}
    assert swept == set(kinds())


@pytest.mark.parametrize(
    ("sample", "columns"), _csv_cases(), ids=[f"{s}-{'+'.join(c)}" for s, c in _csv_cases()]
)
def test_identifiers_planted_in_a_csv_column_are_never_quoted(
    template: Path, tmp_path: Path, sample: str, columns: tuple[str, ...]
) -> None:
    kind, text = CSV_SAMPLES[sample]
    rows = list(csv.reader(io.StringIO(text)))
    planted = _planted_rows(len(rows) - 1)
    for column in columns:
        index = rows[0].index(column)
        for row, value in zip(rows[1:], planted, strict=True):
            if index < len(row):
                row[index] = value
    path = tmp_path / FILE_NAMES.get(sample, f"{sample}.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    db, report = _ingest_copy(template, tmp_path, path, kind)
    _assert_nothing_planted_is_quoted(db, report, f"{sample} columns {', '.join(columns)}")


def _cin_elements() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        text = _cin_census(Path(folder)).read_text()
    return sorted(set(re.findall(r"<(\w+)>[^<]*</\1>", text)))


@pytest.mark.parametrize("element", _cin_elements())
def test_identifiers_planted_in_a_cin_census_element_are_never_quoted(
    template: Path, tmp_path: Path, element: str
) -> None:
    path = _cin_census(tmp_path)
    values = iter(_planted_rows(1000))
    path.write_text(
        re.sub(rf"<{element}>[^<]*</{element}>", lambda _: f"<{element}>{next(values)}</{element}>",
               path.read_text())
    )
    db, report = _ingest_copy(template, tmp_path, path, "cin_census")
    _assert_nothing_planted_is_quoted(db, report, f"CIN census element {element}")


PUBLISHED = pd.read_parquet(BENCHMARKS_FILE).head(10)


@pytest.mark.parametrize("column", list(PUBLISHED.columns))
def test_identifiers_planted_in_a_published_parquet_column_are_never_quoted(
    template: Path, tmp_path: Path, column: str
) -> None:
    frame = PUBLISHED.copy()
    frame[column] = _planted_rows(len(frame))
    path = tmp_path / BENCHMARKS_FILE.name
    frame.to_parquet(path, index=False)
    db, report = _ingest_copy(template, tmp_path, path, "published")
    _assert_nothing_planted_is_quoted(db, report, f"published column {column}")
