"""ONS population loader: EES format by column name, BOM, suppression kept out, replacement."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.ingest import ingest
from loaders.population import LOADER, read_population
from loaders.problems import LoadFailed
from loaders.registry import detect_kind
from loaders.store import Reader
from tests.conftest import FIXTURES

SMALL = FIXTURES / "caseload" / "population_small.csv"
REAL = Path("benchmarks/ees/ons_mid-year_population_estimates_2012_to_2024.csv")


def test_rows_keep_their_codes_and_suppression_is_left_out() -> None:
    rows, suppressed = read_population(SMALL)
    assert suppressed == 1
    assert sorted(map(tuple, rows[["la_code", "year", "population_0_17"]].values.tolist())) == [
        ("929", 2023, 58941.0),
        ("929", 2024, 59056.0),
        ("E12000001", 2024, 542710.0),
        ("E92000001", 2024, 12183016.0),
    ]


def test_sniff_wants_age_group_and_population_estimate(tmp_path: Path) -> None:
    assert detect_kind(SMALL).kind == "ons_population"
    other = tmp_path / "c1.csv"
    other.write_text(
        "time_period,time_identifier,geographic_level,old_la_code,referral_count\n2024,x,National,,1\n"
    )
    assert not LOADER.sniff(other, other.read_bytes())


def test_bad_estimate_and_missing_column(tmp_path: Path) -> None:
    bad = tmp_path / "pop.csv"
    bad.write_text(SMALL.read_text(encoding="utf-8-sig").replace("58941", "5894x"))
    with pytest.raises(LoadFailed) as failure:
        read_population(bad)
    assert "row 5, column population_estimate: invalid value (found '5894x'" in str(failure.value)
    missing = tmp_path / "pop2.csv"
    missing.write_text("time_period,age_group,population_estimate\n2024,Children aged 0 to 17 years,5\n")
    with pytest.raises(LoadFailed) as failure:
        read_population(missing)
    assert "missing column 'geographic_level'" in str(failure.value)


def test_ingest_writes_population_and_a_newer_file_replaces(tmp_path: Path, db_path: Path) -> None:
    report = ingest([SMALL], db=db_path)
    assert report.ok, report.messages
    assert any("left out" in m for m in report.files[0].messages)
    revised = tmp_path / "revised.csv"
    revised.write_text(SMALL.read_text(encoding="utf-8-sig").replace("59056", "60000"))
    assert ingest([revised], db=db_path).ok
    stored = Reader(db_path).query("select * from population where la_code = '929' order by year")
    assert stored["population_0_17"].tolist() == [58941.0, 60000.0]
    assert stored["source_file"].tolist() == ["revised.csv", "revised.csv"]


@pytest.mark.shared_data
def test_published_file_loads(shared_data: Path, db_path: Path) -> None:
    rows, suppressed = read_population(shared_data / REAL)
    assert suppressed > 0
    northumberland = rows[(rows["la_code"] == "929") & (rows["year"] == 2024)]
    assert northumberland["population_0_17"].tolist() == [59056.0]
    assert ingest([shared_data / REAL], db=db_path).ok
    count = Reader(db_path).query("select count(distinct la_code) as n from population where year = 2024")
    assert count["n"].iloc[0] >= 153


def _la_only(path: Path, replacements: dict[str, str]) -> None:
    """SMALL without its National and Regional rows (an LA's own extract), values replaced."""
    lines = SMALL.read_text(encoding="utf-8-sig").splitlines()
    text = "\n".join([lines[0], *(line for line in lines[1:] if ",Local authority," in line)]) + "\n"
    for old, new in replacements.items():
        text = text.replace(old, new)
    path.write_text(text)


def test_one_precedence_whatever_the_load_order(tmp_path: Path, db_path: Path) -> None:
    # LA's own file (2024 = 61000) > published (2023 58941, 2024 59056) > generated (2023-2025)
    own = tmp_path / "own.csv"
    _la_only(own, {"59056": "61000", "58941,2023": "1,2010"})
    generated = tmp_path / "ons_mid-year_population_estimates_synthetic.csv"
    _la_only(generated, {"59056,2024": "70000,2025", "58941,2023": "69000,2024"})
    for order in ([own, SMALL, generated], [generated, SMALL, own]):
        path = tmp_path / f"store-{order[0].name}.duckdb"
        for file in order:
            assert ingest([file], db=path).ok
        chosen = Reader(path).query(
            "select year, population_0_17, source_file from population where la_code = '929' order by year"
        )
        assert chosen.values.tolist() == [
            [2010, 1.0, "own.csv"],
            [2023, 58941.0, "population_small.csv"],
            [2024, 61000.0, "own.csv"],
            [2025, 70000.0, generated.name],
        ]
        kinds = Reader(path).query(
            "select distinct source_kind from population_estimates order by 1"
        )["source_kind"].tolist()
        assert kinds == ["generated", "la_ons", "published_ons"]
