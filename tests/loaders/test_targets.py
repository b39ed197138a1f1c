"""The targets loader: long form, the multi-year trajectory table of seed 004, and bad inputs."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from loaders.registry import detect_kind
from loaders.store import Reader, write_session
from loaders.targets import year_in_text
from tests.conftest import assert_same_store, store_snapshot
from tests.loaders.workbook_files import Fmt, base_workbook, load, months, write_csv, write_xlsx

# Seed 004 (Northumberland Children's Social Care Service Statement 2019-2021, Performance Framework):
# a "Target" heading over three year columns, outturns beside them, measures numbered as in the report.
NORTHUMBERLAND = [
    ["Performance Framework"],
    ["Measure", "", "Outturn", "", "", "Target", "", ""],
    ["", "Eng Av", "2016/17", "2017/18", "18/19", "2019/20", "2020/21", "2021/22"],
    [
        "2. % staff turnover within the social work workforce",
        "13.6",
        "8.4",
        "14.8",
        "13.9",
        "13.7",
        "13.5",
        "13.3",
    ],
    [
        "3. Rate of children and young people subject to child protection plans per 10,000 popn",
        "45",
        "40",
        "66",
        "71",
        "65",
        "62",
        "59",
    ],
    [
        "9. % of LAC who have had 3 or more placements in the last 12 months",
        "10",
        "8",
        "13",
        "10",
        "9",
        "9",
        "9",
    ],
    ["14. % of 19-21 yr old care leavers who are in touch", "88", "96", "94", "95", "95", "95", "95"],
    [
        "16. % of 19-21 yr old care leavers in education, employment or training",
        "50",
        "51",
        "43",
        "51",
        "60",
        "65",
        "68",
    ],
    [
        "17. No Of Supported Families attached to the Programme",
        "- LPI",
        "949",
        "1465",
        "2383",
        "2120",
        "2120",
        "N.A.",
    ],
    [
        "19. % of EHFW cases closed because desired outcomes have been met",
        "- LPI",
        "N.A.",
        "63",
        "57",
        "70",
        "80",
        "85",
    ],
    ["* measured over a 3 year period nationally"],
    ["LPI = Locally-defined performance indicator, so there is no national average available"],
]


def _targets(db: Path) -> dict[tuple[str, int], tuple[float, float | None]]:
    rows = Reader(db).query("select indicator_id, year_end, target, tolerance from targets")
    return {
        (r.indicator_id, r.year_end): (r.target, None if r.tolerance != r.tolerance else r.tolerance)
        for r in rows.itertuples()
    }


def test_long_form_by_id_name_and_alias_with_tolerance(tmp_path: Path, db_path: Path) -> None:
    csv_file = write_csv(
        tmp_path / "targets.csv",
        [
            ["Indicator", "Year", "Target", "Tolerance"],
            ["repeat_cp_plans", "2023/24", "20", ""],
            ["Re-referrals", "2024", "22.5%", "1.5"],
            ["assessment timeliness", "2024-25", "85", ""],
            ["Care leavers in EET", "FY2022/23", "60", "3"],
        ],
    )
    assert detect_kind(csv_file).kind == "targets"
    report = load(csv_file, db_path)
    assert report.ok, report.messages
    assert _targets(db_path) == {
        ("repeat_cp_plans", 2024): (20.0, None),
        ("re_referrals", 2024): (22.5, 1.5),
        ("assessments_45_days", 2025): (85.0, None),
        ("care_leavers_eet_19_21", 2023): (60.0, 3.0),
    }
    assert report.files[0].rows == 4


def test_long_form_with_la_code_column(tmp_path: Path, db_path: Path) -> None:
    csv_file = write_csv(
        tmp_path / "targets.csv",
        [
            ["la_code", "indicator", "year", "target"],
            ["929", "re_referrals", "2023/24", "20"],
            ["855", "re_referrals", "2023/24", "18"],
        ],
    )
    assert load(csv_file, db_path, la_code=None).ok
    rows = Reader(db_path).query("select la_code, target from targets order by la_code")
    assert rows.to_dict("records") == [{"la_code": "855", "target": 18.0}, {"la_code": "929", "target": 20.0}]


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_seed_004_trajectory_table(tmp_path: Path, db_path: Path, form: str) -> None:
    if form == "csv":
        path = write_csv(tmp_path / "framework.csv", NORTHUMBERLAND)
    else:
        path = write_xlsx(tmp_path / "framework.xlsx", {"Performance framework": NORTHUMBERLAND})
    assert detect_kind(path).kind == "targets"
    report = load(path, db_path)
    assert report.ok, report.messages
    found = _targets(db_path)
    # measures the catalogue knows (by alias) take its ids; the rest are local indicators
    assert [found[("care_leavers_eet_19_21", year)][0] for year in (2020, 2021, 2022)] == [60.0, 65.0, 68.0]
    assert found[("placements_3plus", 2022)] == (9.0, None)
    assert found[("sw_turnover_rate", 2020)] == (13.7, None)
    assert found[("cp_rate", 2022)] == (59.0, None)
    assert found[("care_leavers_in_touch_19_21", 2021)] == (95.0, None)
    families = "local:no of supported families attached to the programme"
    assert found[(families, 2021)] == (2120.0, None)
    assert (families, 2022) not in found  # N.A.
    assert found[("local:of ehfw cases closed because desired outcomes have been met", 2022)] == (85.0, None)
    assert len(found) == 5 * 3 + 2 + 3
    names = Reader(db_path).query("select name from local_indicators order by name")["name"].tolist()
    assert names == [
        "% of EHFW cases closed because desired outcomes have been met",
        "No Of Supported Families attached to the Programme",
    ]
    assert Reader(db_path).query("select count(*) as n from kpi_history")["n"].iloc[0] == 0


def test_single_row_target_headers_and_percent_cells(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "trajectory.xlsx",
        {
            "Targets": [
                ["Children's services targets 2023-2026"],
                [],
                ["Measure", "Outturn 2022/23", "Target 2023/24", "Target 2024/25", "Target March 2026"],
                ["Repeat CP plans", Fmt(0.21, "0%"), Fmt(0.2, "0%"), Fmt(0.185, "0.0%"), Fmt(0.18, "0%")],
                ["Average caseload", 19.2, 18, 17, 16],
            ]
        },
    )
    assert load(book, db_path).ok
    assert _targets(db_path) == {
        ("repeat_cp_plans", 2024): (20.0, None),
        ("repeat_cp_plans", 2025): (18.5, None),
        ("repeat_cp_plans", 2026): (18.0, None),
        ("caseload_average", 2024): (18.0, None),
        ("caseload_average", 2025): (17.0, None),
        ("caseload_average", 2026): (16.0, None),
    }


def test_newer_file_supersedes_same_year_only(tmp_path: Path, db_path: Path) -> None:
    first = write_csv(
        tmp_path / "t1.csv",
        [
            ["indicator", "year", "target"],
            ["re_referrals", "2023/24", "20"],
            ["re_referrals", "2024/25", "19"],
        ],
    )
    second = write_csv(
        tmp_path / "t2.csv", [["indicator", "year", "target"], ["re_referrals", "2024/25", "18"]]
    )
    assert load(first, db_path).ok
    assert load(second, db_path).ok
    assert _targets(db_path) == {("re_referrals", 2024): (20.0, None), ("re_referrals", 2025): (18.0, None)}
    files = Reader(db_path).query("select year_end, source_file from targets order by year_end")
    assert files["source_file"].tolist() == ["t1.csv", "t2.csv"]


def test_sniff_tells_targets_from_a_workbook_with_a_target_column(tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "KPIs": [
                ["Performance 2023/24"],
                ["Indicator", "Target", *months(datetime(2023, 4, 1), 2)],
                ["Re-referrals", 20, 21, 22],
            ]
        },
    )
    assert detect_kind(book).kind == "performance_workbook"
    assert detect_kind(base_workbook(tmp_path / "plain.xlsx")).kind == "performance_workbook"
    long_form = write_csv(
        tmp_path / "t.csv", [["Measure", "Financial year", "Target"], ["Re-referrals", "2024", "20"]]
    )
    assert detect_kind(long_form).kind == "targets"


def test_year_parsing() -> None:
    assert year_in_text("Target 2019/20") == 2020
    assert year_in_text("18/19") == 2019
    assert year_in_text("2023-24") == 2024
    assert year_in_text("target March 2020") == 2020
    assert year_in_text("2024") == 2024
    assert year_in_text("FY2024") == 2024
    assert year_in_text("Target 2025") == 2025
    assert year_in_text("2024-03-31") == 2024
    assert year_in_text("2024-04-01") == 2025
    assert year_in_text("Eng Av") is None
    assert year_in_text("2019/21") is None


# ---------------------------------------------------------------------------------------------
# Bad inputs: a precise message and the store unchanged


@pytest.fixture(scope="module")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    targets = write_csv(
        folder / "old.csv", [["indicator", "year", "target"], ["re_referrals", "2023/24", "22"]]
    )
    report = load([base_workbook(folder / "book.xlsx"), targets], folder / "store.duckdb")
    assert report.ok, report.messages
    return folder / "store.duckdb"


@pytest.fixture(scope="module")
def template_snapshot(template_store: Path) -> dict[str, pd.DataFrame]:
    """What every copy of the template holds (a copy is byte for byte the template)."""
    return store_snapshot(template_store)


@pytest.fixture
def loaded_store(template_store: Path, db_path: Path) -> Path:
    shutil.copyfile(template_store, db_path)
    return db_path


HEADER = ["indicator", "year", "target"]
BAD = {
    "unreadable year": (
        [HEADER, ["re_referrals", "next year", "20"]],
        ["targets.csv: cell B2: cannot read this year (found 'next year'"],
    ),
    "non-numeric target": (
        [HEADER, ["re_referrals", "2023/24", "twenty"]],
        ["targets.csv: cell C2: cannot read this target (found 'twenty'"],
    ),
    "negative target": (
        [HEADER, ["re_referrals", "2023/24", "-5"]],
        ["targets.csv: cell C2: negative target (found '-5'"],
    ),
    "percentage over 100": (
        [HEADER, ["repeat_cp_plans", "2023/24", "120"]],
        ["targets.csv: cell C2: percentage target over 100 (found '120'"],
    ),
    "unknown indicator id": (
        [HEADER, ["repeat_cpp_rate", "2023/24", "20"]],
        ["targets.csv: cell A2: unknown indicator id (found 'repeat_cpp_rate'"],
    ),
    "two targets for one year": (
        [HEADER, ["re_referrals", "2023/24", "20"], ["Re-referrals", "2024", "21"]],
        ["targets.csv: cell C3: a second target for re_referrals in 2023/24 (the first is at cell C2)"],
    ),
    "unknown LA code": (
        [["la code", *HEADER], ["999", "re_referrals", "2023/24", "20"]],
        ["targets.csv: cell A2: unknown LA code (found '999'"],
    ),
    "year out of range": (
        [HEADER, ["re_referrals", "1899/00", "20"]],
        ["targets.csv: cell C2: year out of range (found '1899/00'"],
    ),
    "header but no targets": (
        [HEADER, ["re_referrals", "2023/24", "n/a"]],
        ["targets.csv: the targets header has no targets below it"],
    ),
}


@pytest.mark.parametrize("rows, expected", BAD.values(), ids=BAD.keys())
def test_bad_targets_file(
    rows: list[list[str]],
    expected: list[str],
    loaded_store: Path,
    template_snapshot: dict[str, pd.DataFrame],
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "targets.csv", rows)
    before = template_snapshot
    report = load(path, loaded_store, kind="targets")
    assert not report.ok
    text = "\n".join(report.messages)
    for phrase in expected:
        assert phrase in text
    assert_same_store(before, store_snapshot(loaded_store))


def test_not_a_targets_file_with_kind_targets(
    loaded_store: Path, template_snapshot: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "targets.csv", [["name", "value"], ["a", "1"]])
    before = template_snapshot
    report = load(path, loaded_store, kind="targets")
    assert "targets.csv: no targets header found" in report.messages[0]
    assert_same_store(before, store_snapshot(loaded_store))


def test_targets_without_any_la(tmp_path: Path, db_path: Path) -> None:
    with write_session(db_path) as writer:
        writer.execute("insert into settings values ('note', 'no LA yet')")
    before = store_snapshot(db_path)
    report = load(
        write_csv(tmp_path / "t.csv", [HEADER, ["re_referrals", "2023/24", "20"]]), db_path, la_code=None
    )
    assert "t.csv: row 2: the targets do not say which LA they are for" in report.messages[0]
    assert_same_store(before, store_snapshot(db_path))


def test_local_percentage_measure_target_over_100_is_refused(
    loaded_store: Path, template_snapshot: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "targets.csv", [HEADER, ["% of visits on time", "2023/24", "110"]])
    before = template_snapshot
    report = load(path, loaded_store)
    assert "targets.csv: cell C2: percentage target over 100 (found '110'" in report.messages[0]
    assert_same_store(before, store_snapshot(loaded_store))
    good = write_csv(tmp_path / "good.csv", [HEADER, ["% of visits on time", "2023/24", "90"]])
    assert load(good, loaded_store).ok
    local = Reader(loaded_store).query("select unit from local_indicators where name = '% of visits on time'")
    assert local["unit"].tolist() == ["%"]
