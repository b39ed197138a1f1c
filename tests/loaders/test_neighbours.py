"""Statistical neighbour lists: three layouts into one long table, with their model version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from loaders.base import IngestContext
from loaders.neighbours import LOADER, model_of
from loaders.problems import LoadFailed
from loaders.store import Reader, write_session
from tests.conftest import FIXTURES

SMALL_2025 = FIXTURES / "benchmarks" / "sn_model_2025_small.csv"
CONTEXT = IngestContext(batch_id="test", version=1, today=date(2025, 6, 1))


def load(paths: list[Path], db: Path) -> Reader:
    with write_session(db) as writer:
        for path in paths:
            LOADER.load(path, writer, CONTEXT)
    return Reader(db)


def groups(reader: Reader) -> list[tuple[str, str, int, str, str]]:
    rows = reader.query(
        "select model, la_code, neighbour_rank, neighbour_code, closeness from sn_groups "
        "order by model, la_code, neighbour_rank"
    )
    return list(rows.itertuples(index=False, name=None))


def test_wide_2025_layout(db_path: Path) -> None:
    assert LOADER.sniff(SMALL_2025, SMALL_2025.read_bytes())
    stored = groups(load([SMALL_2025], db_path))
    assert len(stored) == 20
    assert stored[0] == ("2025", "855", 1, "916", "Very close")
    assert stored[2] == ("2025", "855", 3, "937", "Close")  # "Close " normalised
    assert stored[9] == ("2025", "855", 10, "811", "Not close")


def _workbook_2021(path: Path, rows: list[list[object]]) -> None:
    """The GOV.UK layout: two title rows above the header, SNP after each SN column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Children's services statistical neighbour benchmarking tool"])
    sheet.append([])
    header: list[object] = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for k in range(1, 11):
        header += [f"SN{k}", "SNP"]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_workbook_with_title_rows_2021(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "sn_april_2021.xlsx"
    neighbours: list[object] = []
    for code in (916, 803, 937, 802, 865, 933, 938, 891, 909, 811):
        neighbours += [code, "Extremely Close"]
    _workbook_2021(
        path,
        [
            [855, "Leicestershire", 855, 1, "East Midlands", *neighbours],
            [942, "Cumberland", 942, 5, "North West", *(["-"] * 20)],
            [],
        ],
    )
    assert LOADER.sniff(path, path.read_bytes()[:65536])
    with write_session(db_path) as writer:
        outcome = LOADER.load(path, writer, CONTEXT)
    assert outcome.rows == 10
    assert any("942" in str(f) for f in outcome.findings)
    stored = groups(Reader(db_path))
    assert stored[0] == ("2021", "855", 1, "916", "Extremely close")
    assert {row[1] for row in stored} == {"855"}


def test_loading_a_model_replaces_only_that_model(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "sn_april_2021.xlsx"
    _workbook_2021(
        path,
        [
            [
                855,
                "Leicestershire",
                855,
                1,
                "East Midlands",
                *[v for c in range(10) for v in (f"{801 + c}", "Close")],
            ]
        ],
    )
    load([SMALL_2025, path], db_path)
    stored = groups(load([path], db_path))
    assert sum(1 for row in stored if row[0] == "2021") == 10
    assert sum(1 for row in stored if row[0] == "2025") == 20


def test_bad_closeness_refused_with_row(tmp_path: Path, db_path: Path) -> None:
    broken = tmp_path / "sn_model_2025_bad.csv"
    text = SMALL_2025.read_text().replace("Somewhat close,891", "Quite near,891", 1)
    broken.write_text(text)
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(broken, writer, CONTEXT)
    problem = failure.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "closeness", "Quite near")


def test_damaged_header_refused_naming_the_missing_columns(tmp_path: Path, db_path: Path) -> None:
    """A header recognised by SN_1/SN_1P but lacking a later neighbour's columns (a damaged byte
    found by the fuzz suite) is refused naming its row and the columns, not stopped unexpectedly."""
    broken = tmp_path / "sn_model_2025_damaged.csv"
    lines = SMALL_2025.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace("SN_7P", "SN_7Q", 1)
    broken.write_text("".join(lines))
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(broken, writer, CONTEXT)
    problem = failure.value.problems[0]
    assert problem.row == 1 and problem.message == "the 2025 neighbour header lacks SN_7P"


def test_model_from_name_or_layout() -> None:
    assert model_of("New_Statistical_Neighbour_Groupings_April_2021.csv", "2021") == "2021"
    assert model_of("sn_model_2025_wide.csv", "2025") == "2025"
    assert model_of("neighbours.csv", "2025") == "2025"


# --- the real published files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sn_folder() -> Path:
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "statistical_neighbours"
    if not folder.is_dir():
        pytest.skip(f"published SN lists {folder} are absent")
    return folder


def test_real_lists(sn_folder: Path, tmp_path: Path) -> None:
    workbook = load([sn_folder / "sn_april_2021.xlsx"], tmp_path / "a.duckdb")
    csv_form = load([sn_folder / "New_Statistical_Neighbour_Groupings_April_2021.csv"], tmp_path / "b.duckdb")
    model_2025 = load([sn_folder / "sn_model_2025_wide.csv"], tmp_path / "c.duckdb")
    # the workbook and its CSV form give the same groupings
    assert groups(workbook) == groups(csv_form)
    stored_2025 = groups(model_2025)
    assert len({row[1] for row in stored_2025}) == 153
    assert all(row[0] == "2025" for row in stored_2025)
    leicestershire = [row[3] for row in groups(workbook) if row[1] == "855"]
    assert len(leicestershire) == 10
