"""LAIT: text values with '-' and float artefacts, England/region numbers, the data dictionary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.base import IngestContext
from loaders.lait import LOADER
from loaders.problems import LoadFailed
from loaders.store import Reader, write_session
from metrics.catalogue import load_catalogue
from tests.conftest import FIXTURES

SMALL = FIXTURES / "benchmarks" / "lait_bds_long_small.csv"
CONTEXT = IngestContext(batch_id="test", version=1, today=date(2025, 6, 1))


def load(paths: list[Path], db: Path) -> Reader:
    with write_session(db) as writer:
        for path in paths:
            LOADER.load(path, writer, CONTEXT)
    return Reader(db)


def test_small_long_file(db_path: Path) -> None:
    assert LOADER.sniff(SMALL, SMALL.read_bytes())
    reader = load([SMALL], db_path)
    rows = reader.query("select * from benchmark_values order by year, area_code")
    assert set(rows["indicator_id"]) == {"repeat_cp_plans"}  # RTA is not in the catalogue
    assert set(rows["source"]) == {"LAIT"}
    by_area = rows[rows["year"] == 2024].set_index("area_code")
    assert by_area.loc["855", "value"] == 26.9
    assert by_area.loc["822", "value"] == 18.1  # 18.100000000000001 in the file
    assert pd.isna(by_area.loc["909", "value"]) and by_area.loc["909", "status"] == "x"
    assert by_area.loc["E92000001", "geographic_level"] == "National"
    assert by_area.loc["E92000001", "value"] == 24.7
    assert by_area.loc["E12000004", "geographic_level"] == "Regional"
    assert by_area.loc["855", "region_code"] == "E12000004"
    assert "987" not in by_area.index  # Inner London is not a DfE region


def test_dictionary_dps_used_for_rounding(tmp_path: Path, db_path: Path) -> None:
    dictionary = tmp_path / "lait_data_dictionary.csv"
    dictionary.write_text(
        "Measure_code,Measure,Measure_short,Polarity,dps,No_Quartile\n15,Repeat plans,PrevRegCPR,Low,0,\n"
    )
    assert LOADER.sniff(dictionary, dictionary.read_bytes())
    reader = load([dictionary, SMALL], db_path)
    value = reader.query("select value from benchmark_values where area_code = '855' and year = 2024")[
        "value"
    ].iloc[0]
    assert value == 27.0
    stored = reader.query("select * from lait_dictionary")
    assert stored.loc[0, "polarity"] == "Low" and stored.loc[0, "dps"] == 0


def test_bad_value_refused(tmp_path: Path, db_path: Path) -> None:
    broken = tmp_path / "bds_long_bad.csv"
    broken.write_text(
        "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
        "PrevRegCPR,,2024,Leicestershire,n/a,855,East Midlands\n"
    )
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(broken, writer, CONTEXT)
    problem = failure.value.problems[0]
    assert (problem.column, problem.value, problem.row) == ("Values", "n/a", 2)


def test_missing_columns_refused(tmp_path: Path, db_path: Path) -> None:
    broken = tmp_path / "bds_long_short.csv"
    broken.write_text("Short Desc,Years,LA and Regions,Values,LA Number\nPrevRegCPR,2024,X,1,855\n")
    frame = pd.read_csv(broken)
    frame.drop(columns=["LA Number"]).to_csv(broken, index=False)
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(broken, writer, CONTEXT)
    assert "LA Number" in str(failure.value)


# --- the real published files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def lait_folder() -> Path:
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "benchmarks" / "lait"
    if not folder.is_dir():
        pytest.skip(f"published LAIT files {folder} are absent")
    return folder


def test_real_lait_values(lait_folder: Path, db_path: Path) -> None:
    reader = load([lait_folder / "lait_data_dictionary.csv", lait_folder / "bds_long_0.parquet"], db_path)
    rows = reader.query(
        "select area_code, value from benchmark_values where indicator_id = 'repeat_cp_plans' and year = 2024"
    ).set_index("area_code")["value"]
    assert rows["855"] == 26.9
    assert rows["E92000001"] == 24.7
    assert rows["E12000004"] == 26.1
    mapped = {i.id for i in load_catalogue() if i.lait_code}
    loaded = set(reader.query("select distinct indicator_id from benchmark_values")["indicator_id"])
    assert loaded == mapped
    # no float artefacts survive: every value has at most 6 decimals
    artefacts = reader.query("select count(*) as n from benchmark_values where round(value, 6) <> value")
    assert artefacts["n"].iloc[0] == 0


def test_real_catalogue_agrees_with_the_lait_dictionary(lait_folder: Path) -> None:
    """Every lait_code exists, with the catalogue's polarity and quartile flag."""
    dictionary = pd.read_csv(
        lait_folder / "lait_data_dictionary.csv", dtype=str, encoding="utf-8-sig"
    ).drop_duplicates("Measure_short")
    by_code = dictionary.set_index("Measure_short")
    polarity_names = {"High": "High", "Low": "Low", "-": "none"}
    for indicator in load_catalogue():
        if not indicator.lait_code:
            continue
        entry = by_code.loc[indicator.lait_code]
        assert polarity_names[entry["Polarity"]] == indicator.polarity, indicator.id
        flagged = str(entry["No_Quartile"]).strip().upper() == "N"
        assert indicator.no_quartile == (flagged or indicator.polarity == "none"), indicator.id
