"""EES tidy CSVs: columns by name, symbols kept as status, unseen releases, refused shapes."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.base import IngestContext
from loaders.ees import LOADER, header_columns
from loaders.ingest import ingest
from loaders.problems import LoadFailed
from loaders.store import Reader, write_session
from metrics.catalogue import load_catalogue
from tests.conftest import FIXTURES, assert_same_store, store_snapshot

SMALL_D3 = FIXTURES / "benchmarks" / "d3_cpps_subsequent_plan_small.csv"
CONTEXT = IngestContext(batch_id="test", version=1, today=date(2025, 6, 1))


def load(path: Path, db: Path) -> Reader:
    with write_session(db) as writer:
        LOADER.load(path, writer, CONTEXT)
    return Reader(db)


def values(reader: Reader, indicator_id: str) -> pd.DataFrame:
    return reader.query(
        "select * from benchmark_values where indicator_id = ? order by year, area_code",
        [indicator_id],
    )


def test_small_file_values_status_and_counts(db_path: Path) -> None:
    reader = load(SMALL_D3, db_path)
    rows = values(reader, "repeat_cp_plans").set_index(["year", "area_code"])
    assert rows.loc[(2024, "E92000001"), "value"] == 24.7
    assert rows.loc[(2024, "E92000001"), "geographic_level"] == "National"
    assert rows.loc[(2024, "E12000004"), "value"] == 26.1
    leicestershire = rows.loc[(2024, "855")]
    assert (leicestershire["value"], leicestershire["numerator"], leicestershire["denominator"]) == (
        10.0,
        40.0,
        400.0,
    )
    assert leicestershire["status"] == "" and leicestershire["source"] == "EES"
    suppressed = rows.loc[(2024, "891")]
    assert pd.isna(suppressed["value"]) and pd.isna(suppressed["numerator"])
    assert suppressed["status"] == "c"
    assert rows.loc[(2023, "803"), "status"] == "x"


def test_sniff_recognises_ees_but_not_the_population_file(tmp_path: Path) -> None:
    head = SMALL_D3.read_bytes()
    assert LOADER.sniff(SMALL_D3, head)
    population = tmp_path / "ons_population.csv"
    population.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,age_group,population_estimate\n"
        "2024,Reporting year,National,E92000001,England,,,,,,Children aged 0 to 17 years,12183016\n"
    )
    assert not LOADER.sniff(population, population.read_bytes())
    assert "time_period" in header_columns(b"\xef\xbb\xbftime_period,geographic_level\n")


def _unseen_release(path: Path) -> None:
    """A d3 file as a future release might publish it: shuffled columns, a BOM, span years, extras."""
    source = pd.read_csv(SMALL_D3, dtype=str, keep_default_na=False)
    source["time_period"] = source["time_period"].map({"2024": "202627", "2023": "202526"})
    source["new_measure"] = "1"
    source["la_name_welsh"] = ""
    shuffled = source[list(reversed(source.columns))]
    shuffled.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC)


def test_unseen_release_loads_without_code_changes(tmp_path: Path, db_path: Path) -> None:
    release = tmp_path / "cpps_subsequent_2026_to_2027_release.csv"
    _unseen_release(release)
    assert release.read_bytes().startswith(b"\xef\xbb\xbf")
    assert LOADER.sniff(release, release.read_bytes()[:65536])
    reader = load(release, db_path)
    rows = values(reader, "repeat_cp_plans").set_index(["year", "area_code"])
    assert sorted(set(rows.index.get_level_values("year"))) == [2026, 2027]
    assert rows.loc[(2027, "E92000001"), "value"] == 24.7
    assert rows.loc[(2027, "855"), "value"] == 10.0
    assert rows.loc[(2027, "891"), "status"] == "c"


def test_unexpected_shape_refused_naming_missing_columns(tmp_path: Path, db_path: Path) -> None:
    broken = tmp_path / "d3_cpps_subsequent_plan_2013_to_2026.csv"
    frame = pd.read_csv(SMALL_D3, dtype=str, keep_default_na=False)
    frame.drop(columns=["CPP_subsequent_percent", "CPP_start"]).to_csv(broken, index=False)
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(broken, writer, CONTEXT)
    message = str(failure.value)
    assert "CPP_subsequent_percent" in message and "CPP_start" in message
    assert "missing" in message or "lacks" in message


def test_missing_area_columns_refused(tmp_path: Path, db_path: Path) -> None:
    broken = tmp_path / "d3_no_codes.csv"
    frame = pd.read_csv(SMALL_D3, dtype=str, keep_default_na=False)
    frame.drop(columns=["la_name", "region_code"]).to_csv(broken, index=False)
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(broken, writer, CONTEXT)
    assert "la_name" in str(failure.value) and "region_code" in str(failure.value)


def test_bad_measure_cell_reported_with_row_and_column(tmp_path: Path, db_path: Path) -> None:
    broken = tmp_path / "d3_bad_cell.csv"
    frame = pd.read_csv(SMALL_D3, dtype=str, keep_default_na=False)
    frame.loc[3, "CPP_subsequent_percent"] = "ten"
    frame.to_csv(broken, index=False)
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(broken, writer, CONTEXT)
    problem = failure.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (5, "CPP_subsequent_percent", "ten")


def test_reload_of_a_revised_release_replaces_not_duplicates(tmp_path: Path, db_path: Path) -> None:
    load(SMALL_D3, db_path)
    revised = tmp_path / "d3_revised.csv"
    frame = pd.read_csv(SMALL_D3, dtype=str, keep_default_na=False)
    frame.loc[frame["old_la_code"] == "855", "CPP_subsequent_percent"] = "11"
    frame.to_csv(revised, index=False)
    reader = load(revised, db_path)
    rows = values(reader, "repeat_cp_plans")
    leicestershire = rows[rows["area_code"] == "855"]
    assert list(leicestershire["value"]) == [11.0, 11.0]
    assert len(rows) == 16


def test_failed_ees_ingest_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    ingest([SMALL_D3], db=db_path)
    before = store_snapshot(db_path)
    broken = tmp_path / "d3_cpps_subsequent_plan_broken.csv"
    pd.read_csv(SMALL_D3, dtype=str).drop(columns=["CPP_subsequent_percent"]).to_csv(broken, index=False)
    report = ingest([broken], db=db_path)
    assert not report.ok
    assert any("CPP_subsequent_percent" in m for m in report.messages)
    assert_same_store(before, store_snapshot(db_path))


# --- the real published files -------------------------------------------------------------------


def _published(path: Path, **where: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if all(row[k] == v for k, v in where.items())]


@pytest.fixture(scope="module")
def real_ees(tmp_path_factory: pytest.TempPathFactory) -> tuple[Reader, Path]:
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "benchmarks" / "ees"
    if not folder.is_dir():
        pytest.skip(f"published EES files {folder} are absent")
    db = tmp_path_factory.mktemp("ees") / "store.duckdb"
    with write_session(db) as writer:
        for path in sorted(folder.glob("*.csv")):
            if LOADER.sniff(path, path.read_bytes()[:65536]):
                LOADER.load(path, writer, CONTEXT)
    return Reader(db), folder


def test_real_england_and_region_reproduced(real_ees: tuple[Reader, Path]) -> None:
    reader, folder = real_ees
    rows = values(reader, "repeat_cp_plans").set_index(["year", "area_code"])
    assert rows.loc[(2025, "E92000001"), "value"] == 24.5
    d3 = folder / "d3_cpps_subsequent_plan_2013_to_2025.csv"
    for row in _published(d3, time_period="2025", geographic_level="Regional"):
        assert rows.loc[(2025, row["region_code"]), "value"] == float(row["CPP_subsequent_percent"])
        assert rows.loc[(2025, row["region_code"]), "numerator"] == float(row["CPP_subsequent"])


def test_real_every_catalogue_ees_source_loads(real_ees: tuple[Reader, Path]) -> None:
    reader, _ = real_ees
    found = reader.query(
        "select indicator_id, count(coalesce(value, numerator)) as n, count(distinct year) as years "
        "from benchmark_values group by indicator_id"
    ).set_index("indicator_id")
    for indicator in load_catalogue():
        if indicator.ees is not None:
            assert found.loc[indicator.id, "n"] > 100, indicator.id
            assert found.loc[indicator.id, "years"] >= 5, indicator.id


def test_real_derived_values(real_ees: tuple[Reader, Path]) -> None:
    reader, folder = real_ees
    england = reader.query(
        "select indicator_id, value, numerator, denominator, status, method from benchmark_values "
        "where area_code = 'E92000001' and year = 2024"
    ).set_index("indicator_id")
    # assessments within 45 working days = bands up to 41-45 / completed (England 2024)
    (c2,) = _published(
        folder / "c2_children_in_need_assessments_duration_2014_to_2024.csv",
        time_period="2024",
        geographic_level="National",
    )
    bands = ["Same_day", "1-10_days", "11-20_days", "21-30_days", "31-40_days", "41-45_days"]
    within = sum(float(c2[b]) for b in bands)
    assert england.loc["assessments_45_days", "numerator"] == within
    assert england.loc["assessments_45_days", "value"] == round(
        within / float(c2["Assessments_completed"]) * 100, 1
    )
    # ICPC within 15 working days = 0-10 + 11-15 over ICPCs
    (c4,) = _published(
        folder / "c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv",
        time_period="2024",
        geographic_level="National",
    )
    icpc = float(c4["Duration_0-10_days"]) + float(c4["Duration_11-15_days"])
    assert england.loc["icpc_15_days", "value"] == round(icpc / float(c4["ICPC"]) * 100, 1)
    # care leaver percentages keep the published figure with the Total row as denominator
    assert england.loc["care_leavers_in_touch_19_21", "value"] == 92
    assert england.loc["care_leavers_in_touch_19_21", "denominator"] == 36370
    # the CIN rate is not in the EES file: its count waits for the ONS population
    assert england.loc["cin_rate", "method"].startswith("per 10,000")
    assert pd.isna(england.loc["cin_rate", "value"])


def test_real_joint_workforce_return_given_to_each_la(real_ees: tuple[Reader, Path]) -> None:
    reader, _ = real_ees
    joint = reader.query(
        "select area_code, value, method from benchmark_values where indicator_id = "
        "'sw_turnover_rate' and year = 2024 and area_code in ('314', '318') order by area_code"
    )
    assert len(joint) == 2
    assert joint["value"].nunique() == 1
    assert all("joint return 314 / 318" in m for m in joint["method"])


def test_real_symbols_never_numbers(real_ees: tuple[Reader, Path]) -> None:
    reader, _ = real_ees
    bad = reader.query("select count(*) as n from benchmark_values where status <> '' and value is not null")
    assert bad["n"].iloc[0] == 0
    statuses = set(reader.query("select distinct status from benchmark_values")["status"])
    assert statuses <= {"", "c", "k", "low", "u", "x", "z"}
    assert {"c", "x", "z"} <= statuses


def test_detection_picks_the_benchmark_loaders(tmp_path: Path) -> None:
    from loaders.registry import detect_kind

    assert detect_kind(SMALL_D3).kind == "ees"
    assert detect_kind(FIXTURES / "benchmarks" / "lait_bds_long_small.csv").kind == "lait"
    assert detect_kind(FIXTURES / "benchmarks" / "sn_model_2025_small.csv").kind == "neighbours"
    release = tmp_path / "unseen_release.csv"
    _unseen_release(release)
    assert detect_kind(release).kind == "ees"


def test_real_population_file_is_left_to_its_own_loader(real_ees: tuple[Reader, Path]) -> None:
    from loaders.registry import detect_kind

    _, folder = real_ees
    population = folder / "ons_mid-year_population_estimates_2012_to_2024.csv"
    assert not LOADER.sniff(population, population.read_bytes()[:65536])
    assert detect_kind(population).kind != "ees"


def test_unknown_file_without_catalogue_measures_refused(tmp_path: Path, db_path: Path) -> None:
    other = tmp_path / "some_release.csv"
    frame = pd.read_csv(SMALL_D3, dtype=str, keep_default_na=False)
    frame.rename(columns={"CPP_subsequent_percent": "CPP_subsequent_pct"}).to_csv(other, index=False)
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(other, writer, CONTEXT)
    assert "missing columns CPP_subsequent_percent" in str(failure.value)


def test_breakdown_value_missing_refused(tmp_path: Path, db_path: Path) -> None:
    stability = tmp_path / "la_cla_placement_stability_2026.csv"
    stability.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "old_la_code,la_name,new_la_code,cla_group,placement_stability,children_count,children_percent\n"
        "2026,Reporting year,National,E92000001,England,,,,,,Other group,Total children,10,100\n"
    )
    with write_session(db_path) as writer, pytest.raises(LoadFailed) as failure:
        LOADER.load(stability, writer, CONTEXT)
    assert "cla_group = 'CLA on 31 March'" in str(failure.value)
