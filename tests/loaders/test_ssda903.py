"""SSDA903 loader: detection, validation findings, structural failures, years and deduplication.

Fixtures in tests/fixtures/ssda903 are small hand-written tables (fake ids such as C001) with one
row per rule broken; the synthetic DfE-format samples in ../shared/data are loaded end to end.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.ingest import ingest
from loaders.ssda903 import LOADER, table_of, year_in_name
from loaders.store import Reader
from metrics.compute import recompute

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ssda903"
LA = "929"
PERSONAL = re.compile(r"\b[CL]0\d\d\b|\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2}|AB1|SC12")


def load(db: Path, *names: str, la_code: str | None = LA, kind: str | None = None,
         derive: bool = False) -> object:
    return ingest([FIXTURES / n for n in names], db=db, la_code=la_code, kind=kind,
                  derive=recompute if derive else None)


def table(db: Path, name: str) -> pd.DataFrame:
    return Reader(db).query(f"select * from {name}")


def findings(db: Path) -> pd.DataFrame:
    return Reader(db).query("select * from dq_findings")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("2023-episodes.csv", "episodes"), ("2024-header.csv", "header"), ("2024-oc3.csv", "oc3"),
     ("reviews.csv", "reviews")],
)
def test_table_recognised_from_its_header_row(name: str, expected: str) -> None:
    path = FIXTURES / name
    head = path.read_bytes()
    assert LOADER.sniff(path, head)
    assert table_of(head.decode().splitlines()[0].split(",")) == expected


def test_other_csv_files_are_not_903(tmp_path: Path) -> None:
    path = tmp_path / "caseload.csv"
    path.write_text("date,worker_id,team,role,fte,agency,cases\n")
    assert not LOADER.sniff(path, path.read_bytes())


@pytest.mark.parametrize(
    ("name", "year"),
    [("2019-episodes.csv", 2019), ("episodes_2023-24.csv", 2024), ("episodes.csv", None),
     ("903 header 2022.csv", 2022)],
)
def test_year_in_file_name(name: str, year: int | None) -> None:
    assert year_in_name(name) == year


def test_episodes_load_with_rule_breaking_rows_as_findings(db_path: Path) -> None:
    report = load(db_path, "2023-episodes.csv")
    assert report.ok, report.messages
    episodes = table(db_path, "ssda903_episodes")
    assert len(episodes) == 7
    assert set(episodes["child"]) == {"C001", "C002", "C006", "C007", "C008"}
    assert set(episodes["collection_year"]) == {2023}
    assert "home_post" not in episodes.columns and "urn" not in episodes.columns
    rules = findings(db_path)
    by_column = {(r.location, r.affected_rows) for r in rules.itertuples()}
    assert ("row 5, column DECOM", 1) in by_column
    assert ("row 6, column RNE", 1) in by_column
    assert ("row 7", 1) in by_column  # DEC before DECOM
    assert ("row 9", 1) in by_column  # overlapping episodes, kept
    assert ("row 9, column PLACE", 1) in by_column  # unknown placement code, kept
    assert ("row 11", 1) in by_column  # duplicate episode
    messages = " ".join(rules["message"])
    assert "'X'" in messages and "'Q9'" in messages  # codes are quoted
    assert not PERSONAL.search(messages), "findings must not name children, dates or postcodes"


def test_overlapping_episode_is_kept_and_cut_for_the_measures(db_path: Path) -> None:
    load(db_path, "2023-episodes.csv")
    c006 = table(db_path, "ssda903_episodes").query("child == 'C006'")
    assert len(c006) == 2
    message = findings(db_path).query("location == 'row 9'")["message"].iloc[0]
    assert "treated as ending when this one starts" in message


@pytest.mark.parametrize("order", [("2023-episodes.csv", "2024-episodes.csv"),
                                   ("2024-episodes.csv", "2023-episodes.csv")])
def test_newest_collection_year_wins_whatever_the_load_order(db_path: Path, order: tuple[str, str]) -> None:
    for name in order:
        assert load(db_path, name).ok
    episodes = table(db_path, "ssda903_episodes")
    assert len(episodes) == 8
    c001 = episodes[(episodes["child"] == "C001") & (episodes["decom"] == pd.Timestamp(2022, 6, 1))]
    assert len(c001) == 1
    assert c001["collection_year"].iloc[0] == 2024
    assert pd.Timestamp(c001["dec"].iloc[0]) == pd.Timestamp(2023, 5, 1)
    coverage = table(db_path, "ssda903_coverage")
    assert sorted(coverage["collection_year"]) == [2023, 2024]


def test_name_year_read_as_the_start_when_the_data_runs_to_the_next_march(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "2023-episodes.csv"
    path.write_text((FIXTURES / "2024-episodes.csv").read_text())
    assert ingest([path], db=db_path, la_code=LA).ok
    assert set(table(db_path, "ssda903_episodes")["collection_year"]) == {2024}
    assert "read as the year's start" in " ".join(findings(db_path)["message"])


def test_header_keeps_bad_dates_as_unknown_and_first_of_duplicates(db_path: Path) -> None:
    assert load(db_path, "2024-episodes.csv", "2024-header.csv").ok
    header = table(db_path, "ssda903_header").set_index("child")
    assert sorted(header.index) == ["C001", "C006", "C008"]
    assert pd.isna(header.loc["C006", "dob"])
    assert header.loc["C008", "ethnic"] == "ZZZZ"
    assert "upn" not in header.columns
    rules = " ".join(findings(db_path)["message"])
    assert "column SEX" in rules and "column DOB" in rules and "appears twice" in rules
    assert not PERSONAL.search(rules)


def test_oc3_stores_birthday_and_age_in_the_collection_year(db_path: Path) -> None:
    assert load(db_path, "2024-oc3.csv").ok
    oc3 = table(db_path, "ssda903_oc3").set_index("child")
    assert sorted(oc3.index) == ["L001", "L002", "L005"]
    assert pd.Timestamp(oc3.loc["L001", "birthday"]) == pd.Timestamp(2023, 6, 15)
    assert oc3.loc["L001", "age_at_birthday"] == 18
    assert pd.Timestamp(oc3.loc["L002", "birthday"]) == pd.Timestamp(2024, 1, 20)
    assert oc3.loc["L005", "age_at_birthday"] == 21
    rules = findings(db_path)
    messages = " ".join(rules["message"])
    assert "IN_TOUCH is DIED but an activity is recorded" in messages
    assert "'MAYBE'" in messages and "'F3'" in messages and "'01'" in messages
    assert "not aged 17 to 21" in messages
    assert not PERSONAL.search(messages)


def test_oc3_year_from_the_episodes_already_loaded(db_path: Path) -> None:
    assert load(db_path, "2024-episodes.csv", "oc3.csv").ok
    assert set(table(db_path, "ssda903_oc3")["collection_year"]) == {2024}


def test_oc3_without_a_year_fails_with_advice(db_path: Path) -> None:
    report = load(db_path, "oc3.csv")
    assert not report.ok
    assert "cannot tell which collection year" in report.messages[0]
    assert "2024-oc3.csv" in report.messages[0]


def test_unused_903_table_is_acknowledged_not_stored(db_path: Path) -> None:
    report = load(db_path, "reviews.csv")
    assert report.ok and report.files[0].rows == 0
    assert "recognised but no measure uses it" in report.files[0].messages[0]
    assert findings(db_path)["severity"].tolist() == ["info"]
    assert not Reader(db_path).has_table("ssda903_episodes")


def test_903_without_an_la_fails_and_says_how_to_fix_it(db_path: Path) -> None:
    report = load(db_path, "2023-episodes.csv", la_code=None)
    assert not report.ok
    assert "--la" in report.messages[0]
    assert not Reader(db_path).has_table("ssda903_episodes")


def test_la_from_the_store_settings(db_path: Path) -> None:
    assert load(db_path, "2023-episodes.csv").ok
    assert load(db_path, "2024-episodes.csv", la_code=None).ok
    assert set(table(db_path, "ssda903_episodes")["la_code"]) == {LA}


def test_missing_column_fails_the_load(db_path: Path) -> None:
    report = load(db_path, "episodes_without_ls.csv")
    assert not report.ok
    assert "missing column 'LS'" in report.messages[0]


def test_table_without_rows_fails_the_load(db_path: Path) -> None:
    report = load(db_path, "oc3_header_only.csv")
    assert not report.ok and "has no rows" in report.messages[0]


def test_unreadable_file_fails_the_load(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_bytes(b"CHILD,DECOM,RNE\n\xff\xfe\xfa\x00\x81")
    report = ingest([path], db=db_path, la_code=LA, kind="ssda903")
    assert not report.ok and "binary data" in report.messages[0]


def test_fixtures_load_and_measure_end_to_end(db_path: Path) -> None:
    report = load(db_path, "2023-episodes.csv", "2024-episodes.csv", "2024-header.csv", "2024-oc3.csv",
                  derive=True)
    assert report.ok, report.messages
    kpis = Reader(db_path).query("select * from kpi where la_code = ?", [LA])
    three_plus = kpis[(kpis["indicator_id"] == "placements_3plus")]
    months = sorted(pd.to_datetime(three_plus["period_end"]).dt.date)
    assert (months[0], months[-1], len(months)) == (date(2023, 3, 31), date(2024, 3, 31), 13)
    at_end = three_plus.set_index(pd.to_datetime(three_plus["period_end"]).dt.date).loc[date(2024, 3, 31)]
    assert (at_end["numerator"], at_end["denominator"]) == (0, 4)  # C006, C007, C008, C009
    in_touch = kpis[(kpis["indicator_id"] == "care_leavers_in_touch_17_18") & (kpis["period_type"] == "ytd")]
    march = in_touch[pd.to_datetime(in_touch["period_end"]).dt.date == date(2024, 3, 31)].iloc[0]
    assert (march["numerator"], march["denominator"]) == (1, 1)


@pytest.mark.shared_data
def test_synthetic_sample_loads_with_precise_findings(shared_data: Path, db_path: Path) -> None:
    folder = shared_data / "returns" / "ssda903" / "sample"
    report = ingest(sorted(folder.glob("*.csv")), db=db_path, la_code=LA, derive=recompute)
    assert report.ok, report.messages
    assert {f.kind for f in report.files} == {"ssda903"}
    rules = findings(db_path)
    assert rules["message"].str.contains("IN_TOUCH is DIED but an activity is recorded").any()
    assert rules["message"].str.contains("column ACTIV").any()
    children = set(pd.read_csv(folder / "episodes.csv", dtype=str)["CHILD"])
    words = set(re.findall(r"\w+", " ".join(rules["message"])))
    assert not words & children, "no child id may appear in a finding"
    kpis = Reader(db_path).query("select distinct indicator_id from kpi")
    assert {"placements_3plus", "cla_rate", "care_leavers_in_touch_17_18"} <= set(kpis["indicator_id"])


@pytest.mark.shared_data
def test_synthetic_multi_year_sample_gives_history(shared_data: Path, db_path: Path) -> None:
    folder = shared_data / "returns" / "ssda903" / "sample_multi_year"
    report = ingest(sorted(folder.glob("*.csv")), db=db_path, la_code=LA, derive=recompute)
    assert report.ok, report.messages
    coverage = table(db_path, "ssda903_coverage").query("table_name == 'episodes'")
    assert sorted(coverage["collection_year"]) == [2018, 2019, 2020, 2021, 2022]
    kpis = Reader(db_path).query(
        "select indicator_id, min(period_end) filter (where denominator is not null) as first, "
        "max(period_end) as last, count(value) as n "
        "from kpi group by indicator_id"
    ).set_index("indicator_id")
    assert pd.Timestamp(kpis.loc["placements_3plus", "first"]).date() == date(2018, 3, 31)
    assert pd.Timestamp(kpis.loc["long_term_stability", "first"]).date() == date(2019, 9, 30)
    assert pd.Timestamp(kpis.loc["placements_3plus", "last"]).date() == date(2022, 3, 31)
    assert kpis.loc["long_term_stability", "n"] > 0


def test_earlier_episode_missing_from_a_newer_year_is_reported(db_path: Path, tmp_path: Path) -> None:
    assert load(db_path, "2023-episodes.csv").ok
    newer = tmp_path / "2024-episodes.csv"
    lines = (FIXTURES / "2024-episodes.csv").read_text().splitlines()
    newer.write_text("\n".join(line for line in lines if not line.startswith("C008")) + "\n")
    report = ingest([newer], db=db_path, la_code=LA)
    assert report.ok
    warning = [m for m in report.files[0].messages if "not in this file" in m]
    assert warning and warning[0].split(": ")[1].startswith("4 row(s)")  # C002, C006, C007, C008 still open
    assert len(table(db_path, "ssda903_episodes")) == 8


def test_oc3_year_from_its_name_alone_is_explained(db_path: Path) -> None:
    report = load(db_path, "2024-oc3.csv")
    assert any("taken from the file name" in m and "2023/24" in m for m in report.files[0].messages)


def test_placement_postcode_and_urn_stored_only_as_keyed_hashes(db_path: Path, tmp_path: Path) -> None:
    """Rules 434-436 and 503F compare PL_POST and URN: the store keeps keyed hashes (equal for
    equal values in one load, the postcode's key forgotten after it), never the values."""
    path = tmp_path / "2024-episodes.csv"
    path.write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "P1,01/05/2023,S,C2,N1,U1,PR1,01/06/2023,X1,,ZZ99 9ZZ,ZZ99 1AA,SC000001\n"
        "P1,01/06/2023,L,C1,N1,U1,PR1,,,,ZZ99 9ZZ,zz991aa,SC000001\n"
        "P2,01/05/2023,S,C2,N1,U1,PR1,,,,,,\n"
    )
    assert ingest([path], db=db_path, la_code=LA).ok
    stored = table(db_path, "ssda903_episodes").sort_values(["child", "decom"])
    first, second, blank = stored.to_dict("records")
    assert first["pl_post_key"] == second["pl_post_key"] and first["urn_key"] == second["urn_key"]
    assert pd.isna(blank["pl_post_key"]) and pd.isna(blank["urn_key"])
    text = stored.astype(str).to_csv() + table(db_path, "ssda903_last_episodes").astype(str).to_csv()
    assert not re.search(r"ZZ99|zz99|SC0000", text)
    path.write_text(path.read_text() + "P3,01/07/2023,S,C2,N1,U1,PR1,,,,,,\n")  # a new file's content
    assert ingest([path], db=db_path, la_code=LA).ok
    again = table(db_path, "ssda903_episodes").sort_values(["child", "decom"])
    assert again["urn_key"].tolist()[:2] == stored["urn_key"].tolist()[:2]  # the store's URN key
    assert again["pl_post_key"].iloc[0] != first["pl_post_key"]  # a new key for each load
