"""The synthetic data generator: deterministic, in the DfE formats, loadable, realistic rates."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.caseload import parse_caseload_list
from loaders.ingest import ingest
from loaders.population import read_population
from loaders.store import Reader
from loaders.synthetic import GenerationReport, choose_las, formats, generate
from loaders.synthetic.__main__ import main
from metrics.catalogue import load_catalogue
from metrics.compute import recompute

END = date(2025, 6, 30)
REPORTED_ONLY = {"sw_turnover_rate", "sw_agency_rate", "sw_vacancy_rate"}  # workforce census figures


def small(out: Path, **overrides: object) -> GenerationReport:
    arguments: dict[str, object] = dict(las=2, years=2, seed=11, children_looked_after=60, end=END)
    arguments.update(overrides)
    return generate(out, **arguments)  # type: ignore[arg-type]


def all_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_gives_the_same_files_byte_for_byte(tmp_path: Path) -> None:
    small(tmp_path / "a")
    small(tmp_path / "b")
    first, second = all_bytes(tmp_path / "a"), all_bytes(tmp_path / "b")
    assert first == second
    assert len(first) > 20
    small(tmp_path / "c", seed=12)
    third = all_bytes(tmp_path / "c")
    assert third["929/ssda903/2024-episodes.csv"] != first["929/ssda903/2024-episodes.csv"]


def test_layout_names_and_headers(tmp_path: Path) -> None:
    report = small(tmp_path)
    assert [la.la_code for la in report.las][0] == "929"
    first = report.las[0]
    assert report.first_day == date(2023, 7, 1)
    assert [p.name for p in first.ssda903_files] == [
        f"{y}-{t}.csv" for y in (2023, 2024, 2025) for t in ("episodes", "header", "oc3")
    ]
    assert [p.name for p in first.cin_files] == ["cin-2024.xml", "cin-2025.xml", "cin-2026.xml"]
    assert first.caseload_files[0].name == "caseload-2023-07-31.csv"
    assert len(first.caseload_files) == 24
    with open(first.ssda903_files[0], encoding="utf-8") as handle:
        assert handle.readline().strip().split(",") == formats.EPISODE_COLUMNS
    workers = parse_caseload_list(first.caseload_files[-1])
    assert set(workers["snapshot_date"]) == {END}
    assert {"Team Manager", "Social Worker", "ASYE"} <= set(workers["role"])
    population, suppressed = read_population(report.population_file)
    assert suppressed == 0
    assert set(population["la_code"]) == {la.la_code for la in report.las}
    assert set(population["year"]) == set(range(2022, 2026))


def test_episodes_open_at_the_year_end_repeat_in_the_next_year(tmp_path: Path) -> None:
    report = small(tmp_path, fault_rate=0.0)
    folder = report.las[0].folder / "ssda903"
    earlier = {(r["CHILD"], r["DECOM"]): r for r in read_rows(folder / "2023-episodes.csv")}
    later = {(r["CHILD"], r["DECOM"]): r for r in read_rows(folder / "2024-episodes.csv")}
    open_at_year_end = [k for k, r in earlier.items() if r["DEC"] == ""]
    assert open_at_year_end
    assert all(k in later for k in open_at_year_end)
    closed_later = [k for k in open_at_year_end if later[k]["DEC"]]
    assert closed_later, "some episodes open at 31 March 2024 ended in the following year"
    for key in closed_later:
        assert pd.to_datetime(later[key]["DEC"], dayfirst=True) > pd.Timestamp("2024-03-31")
    xml = (report.las[0].folder / "cin" / "cin-2025.xml").read_text()
    assert "<LEA>929</LEA>" in xml and "<ReferenceDate>2025-03-31</ReferenceDate>" in xml
    partial = (report.las[0].folder / "cin" / "cin-2026.xml").read_text()
    assert "<ReferenceDate>2025-06-30</ReferenceDate>" in partial
    assert not re.search(r"<\w+Date>2025-0[7-9]", partial), "nothing after the extract date"


def test_faults_at_the_requested_rate_only(tmp_path: Path) -> None:
    clean = small(tmp_path / "clean", fault_rate=0.0, las=1)
    faulty = small(tmp_path / "faulty", fault_rate=0.05, las=1)
    clean_text = "".join(p.read_text() for p in clean.las[0].ssda903_files)
    faulty_text = "".join(p.read_text() for p in faulty.las[0].ssda903_files)
    for marker in ("31/02/", ",Z9,", "XXXX", ",YS,"):
        assert marker not in clean_text
    assert sum(marker in faulty_text for marker in ("31/02/", ",Z9,", "XXXX", ",YS,")) >= 3
    faulty_xml = "".join(p.read_text() for p in faulty.las[0].cin_files)
    assert "<ReferralSource>99</ReferralSource>" in faulty_xml
    assert "<ReferralSource>99</ReferralSource>" not in "".join(p.read_text() for p in clean.las[0].cin_files)


def test_choose_las_is_seeded_and_checks_codes() -> None:
    chosen = [la["la_code"] for la in choose_las(5, "201", seed=3)]
    assert chosen[0] == "201" and len(set(chosen)) == 5
    assert chosen == [la["la_code"] for la in choose_las(5, "201", seed=3)]
    with pytest.raises(ValueError):
        choose_las(1, "999", seed=3)
    with pytest.raises(ValueError):
        choose_las(500, "929", seed=3)


def test_command_line_reports_time_and_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "--las",
            "1",
            "--years",
            "1",
            "--out",
            str(tmp_path),
            "--seed",
            "4",
            "--end",
            "2024-03-31",
            "--size",
            "small",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "peak memory" in printed and "children looked after at the end" in printed
    assert (tmp_path / "929" / "cin" / "cin-2024.xml").is_file()
    assert main(["--out", str(tmp_path), "--la", "999"]) == 2


@pytest.mark.shared_data
def test_formats_match_the_published_samples(shared_data: Path, tmp_path: Path) -> None:
    from lxml import etree

    samples = shared_data / "returns" / "ssda903" / "sample_multi_year"
    for table, columns in (
        ("header", formats.HEADER_COLUMNS),
        ("episodes", formats.EPISODE_COLUMNS),
        ("oc3", formats.OC3_COLUMNS),
    ):
        with open(samples / f"2019-{table}.csv", encoding="utf-8-sig") as handle:
            assert handle.readline().strip().split(",") == columns
    report = small(tmp_path, las=1, fault_rate=0.0)
    schema = etree.XMLSchema(etree.parse(str(shared_data / "returns" / "cin" / "CIN_schema_2024.xsd")))
    document = etree.parse(str(report.las[0].cin_files[1]))
    schema.validate(document)
    errors = {error.message for error in schema.error_log}
    # the XSD types NumberOfPreviousCPP positiveInteger; real files (and the census guide) use 0
    assert all("NumberOfPreviousCPP" in e and "'0'" in e for e in errors), sorted(errors)[:3]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    folder = tmp_path_factory.mktemp("synthetic")
    report = generate(folder, las=1, years=3, seed=5, children_looked_after=250, end=END)
    db = folder / "store.duckdb"
    result = ingest([report.population_file] + report.las[0].files, db=db, la_code="929", derive=recompute)
    assert result.ok, result.messages[:5]
    return Reader(db)


def test_generated_files_give_a_value_for_every_computed_measure(loaded: Reader) -> None:
    found = set(loaded.query("select distinct indicator_id from kpi where value is not null")["indicator_id"])
    expected = {i.id for i in load_catalogue()} - REPORTED_ONLY
    assert expected <= found, sorted(expected - found)


def test_generated_rates_are_in_the_range_of_published_figures(loaded: Reader) -> None:
    values = loaded.query(
        "select indicator_id, avg(value) as value from kpi where value is not null "
        "and period_type in ('rolling_12m', 'snapshot') and period_end >= '2024-03-31' group by 1"
    ).set_index("indicator_id")["value"]
    ranges = {
        "re_referrals": (12, 34),
        "assessments_45_days": (65, 95),
        "icpc_15_days": (60, 95),
        "repeat_cp_plans": (12, 35),
        "placements_3plus": (4, 18),
        "long_term_stability": (50, 85),
        "care_leavers_in_touch_19_21": (80, 99),
        "care_leavers_eet_19_21": (40, 70),
        "caseload_average": (12, 22),
        "cla_rate": (35, 130),
        "cp_reviews_on_time": (75, 100),
    }
    outside = {k: round(values[k], 1) for k, (low, high) in ranges.items() if not low <= values[k] <= high}
    assert not outside


def test_same_files_from_separate_processes_whatever_the_hash_seed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    for hash_seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-m", "loaders.synthetic", "--las", "2", "--years", "1", "--seed", "8",
             "--end", "2024-03-31", "--out", str(tmp_path / hash_seed)],
            cwd=root, env={**os.environ, "PYTHONHASHSEED": hash_seed}, check=True, capture_output=True,
        )  # fmt: skip
    assert all_bytes(tmp_path / "1") == all_bytes(tmp_path / "2")
