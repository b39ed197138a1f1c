"""CIN census loader: the real example file, rule breaks as findings, structural failures, dedupe."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.base import IngestContext
from loaders.cin_census import LOADER
from loaders.ingest import ingest
from loaders.problems import LoadFailed
from loaders.store import Reader, write_session
from tests.conftest import assert_same_store, store_snapshot
from tests.fixtures.cin.xml import child_xml, episode_xml, plan_xml, write_census

CHILD = "CHILD-SECRET-7"


def load(path: Path, db: Path):  # type: ignore[no-untyped-def]
    with write_session(db) as writer:
        return LOADER.load(path, writer, IngestContext(batch_id="b1", version=1, today=date(2024, 5, 1)))


def count(db: Path, table: str) -> int:
    return int(Reader(db).query(f"select count(*) as n from {table}")["n"].iloc[0])


@pytest.mark.shared_data
def test_loads_the_dfe_example_file(shared_data: Path, db_path: Path) -> None:
    example = shared_data / "returns" / "cin" / "cin-2022.xml"
    assert LOADER.sniff(example, example.read_bytes()[:65536])
    report = ingest([example], db=db_path)
    assert report.ok, report.messages
    reader = Reader(db_path)
    returns = reader.query("select * from cin_census_returns")
    assert (returns["la_code"].iloc[0], returns["reference_date"].iloc[0].date()) == (
        "201",
        date(2022, 3, 31),
    )
    plans = reader.query("select * from cin_cp_plans")
    assert plans["number_of_previous_plans"].tolist() == [10]
    assert count(db_path, "cin_cp_reviews") == 1
    referral = reader.query("select * from cin_referrals").iloc[0]
    assert (referral["reason_for_closure"], bool(referral["referral_nfa"])) == ("RC1", False)
    assert referral["transfer_icpc_date"].date() == date(1970, 12, 6)
    assert count(db_path, "cin_plan_dates_versions") == 1


def test_cin_plan_dates_are_kept_as_the_census_sent_them(tmp_path: Path, db_path: Path) -> None:
    """CINPlanDates go to cin_plan_dates_versions with their XML line (for 4013); one ending
    before it starts, or with no start, is excluded and reported."""
    episode = episode_xml("2023-06-01", cin_plans=(("2023-06-10", "2024-04-02"), ("2023-07-01", None),
                                                   ("2023-08-01", "2023-07-01"), (None, "2023-09-01")))
    path = write_census(tmp_path, "cin.xml", [child_xml(CHILD, episode)])
    outcome = load(path, db_path)
    kept = Reader(db_path).query(
        "select cast(referral_date as varchar) as referral, cast(cin_plan_start_date as varchar) as start, "
        "coalesce(cast(cin_plan_end_date as varchar), '-') as ended, source_row "
        "from cin_plan_dates_versions order by cin_plan_start_date"
    )
    assert kept[["referral", "start", "ended"]].values.tolist() == [
        ["2023-06-01", "2023-06-10", "2024-04-02"], ["2023-06-01", "2023-07-01", "-"]]
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "<CINPlanDates>" in text)
    assert (kept["source_row"] == line).all()  # the fixture writes a child on one line
    messages = [f.message for f in outcome.findings if "CIN plan dates" in f.message]
    assert len(messages) == 2, messages
    assert not any(CHILD in f.message or "2023-08-01" in str(f.value) for f in outcome.findings)


def test_rule_breaks_become_findings_without_child_level_values(tmp_path: Path, db_path: Path) -> None:
    path = write_census(
        tmp_path,
        "cin.xml",
        [
            child_xml(
                CHILD,
                episode_xml("2023-05-01", closure="2023-04-01"),  # closed before referral: excluded
                episode_xml("2023-06-01", source="ZZ", assessments=(("2023-06-02", "2023-06-01"),)),
                episode_xml(None),  # no referral date: excluded
                episode_xml(
                    "2023-07-01",
                    plans=(plan_xml("2023-07-10", previous=0, reviews=("2023-07-01", "2023-09-01")),),
                    section47s=(("2023-07-02", "2023-07-20"),),
                ),
                episode_xml("2023-08-01", plans=(plan_xml("2023-08-05", previous="one"),)),
                episode_xml("2023-08-09", assessments=(("31/08/2023", None),)),
                # a bad referral date excludes the episode but not the plan inside it
                episode_xml("2023-13-01", plans=(plan_xml("2023-09-01"),)),
            )
        ],
    )
    outcome = load(path, db_path)
    assert count(db_path, "cin_referrals") == 4  # two excluded, unknown source kept
    assert count(db_path, "cin_assessments") == 0  # authorised before start; start not a date
    assert count(db_path, "cin_cp_plans") == 3  # NumberOfPreviousCPP 0 is accepted
    assert count(db_path, "cin_cp_reviews") == 1  # review before the plan started: excluded
    plans = Reader(db_path).query(
        "select number_of_previous_plans from cin_cp_plans order by plan_start_date"
    )
    assert plans["number_of_previous_plans"].isna().tolist() == [False, True, False]
    messages = [str(f) for f in outcome.findings]
    assert any("closure date is before referral date" in m and "excluded" in m for m in messages)
    assert any("unknown code" in m and "'ZZ'" in m and "kept" in m for m in messages)
    assert any("referral_date" in m and "missing" in m for m in messages)
    assert any("NumberOfPreviousCPP" in m and "'one'" in m for m in messages)
    assert any("not in the form YYYY-MM-DD" in m for m in messages)
    assert any("review date is before plan start date" in m for m in messages)
    stored = Reader(db_path).query("select * from dq_findings")
    assert len(stored) == len(outcome.findings)
    everything = " ".join(stored["message"]) + " ".join(stored["rule"])
    for secret in (CHILD, "2023-", "2015-01-01", "31/08/2023"):
        assert secret not in everything
    assert all(stored["kind"] == "cin_census")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("this is not xml at all", "not well-formed XML"),
        ('<?xml version="1.0"?>\n<Workforce><Header/></Workforce>', "root element is <Workforce>"),
        (
            '<?xml version="1.0"?>\n<Message>\n<Header>\n</Header>\n<Children>\n<Child>\n',
            "not well-formed XML",
        ),
    ],
)
def test_structural_problems_fail_the_load(
    tmp_path: Path, db_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(content)
    with pytest.raises(LoadFailed) as failure:
        load(path, db_path)
    assert expected in str(failure.value)


def test_truncated_file_names_the_line(tmp_path: Path, db_path: Path) -> None:
    path = write_census(tmp_path, "cin.xml", [child_xml("A", episode_xml("2023-05-01"))])
    text = path.read_text()
    path.write_text(text[: text.index("</Children>")])
    with pytest.raises(LoadFailed) as failure:
        load(path, db_path)
    problem = failure.value.problems[0]
    assert problem.row is not None and problem.row >= 5
    assert f"row {problem.row}" in str(problem)


@pytest.mark.parametrize(
    ("header", "expected"),
    [({"la_code": None}, "exactly one LA"), ({"la_code": "999"}, "unknown LA code")],
)
def test_header_problems_fail_the_load(
    tmp_path: Path, db_path: Path, header: dict[str, str | None], expected: str
) -> None:
    path = write_census(tmp_path, "cin.xml", [child_xml("A", episode_xml("2023-05-01"))], **header)
    with pytest.raises(LoadFailed) as failure:
        load(path, db_path)
    assert expected in str(failure.value)


def test_failed_ingest_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    good = write_census(tmp_path, "good.xml", [child_xml("A", episode_xml("2023-05-01"))])
    assert ingest([good], db=db_path).ok
    before = store_snapshot(db_path)
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<Message><Children><Child>')
    report = ingest([bad], db=db_path, kind="cin_census")
    assert not report.ok and "not well-formed" in report.messages[0]
    assert_same_store(before, store_snapshot(db_path))


def test_newer_census_replaces_repeated_episodes_and_resubmission_replaces_its_year(
    tmp_path: Path, db_path: Path
) -> None:
    older = write_census(
        tmp_path,
        "cin-2023.xml",
        [
            child_xml(
                "A", episode_xml("2023-01-10", plans=(plan_xml("2023-02-01", reviews=("2023-03-01",)),))
            ),
            child_xml("B", episode_xml("2022-05-01", closure="2022-09-01", reason="RC7")),
        ],
        reference="2023-03-31",
    )
    newer = write_census(
        tmp_path,
        "cin-2024.xml",
        [
            child_xml(
                "A",
                episode_xml(
                    "2023-01-10",
                    closure="2023-11-30",
                    reason="RC7",
                    plans=(plan_xml("2023-02-01", end="2023-11-30", reviews=("2023-03-01", "2023-05-01")),),
                ),
            ),
            child_xml("C", episode_xml("2023-06-01")),
        ],
        reference="2024-03-31",
    )
    assert ingest([newer, older], db=db_path).ok
    reader = Reader(db_path)
    referrals = reader.query(
        "select child_id, closure_date, reference_date from cin_referrals order by child_id"
    )
    assert referrals["child_id"].tolist() == ["A", "B", "C"]
    assert referrals["closure_date"].iloc[0].date() == date(2023, 11, 30)  # the newer census's version
    assert reader.query("select count(*) as n from cin_cp_reviews")["n"].iloc[0] == 2
    assert count(db_path, "cin_census_returns") == 2

    corrected = write_census(
        tmp_path, "cin-2024-v2.xml", [child_xml("C", episode_xml("2023-06-02"))], reference="2024-03-31"
    )
    assert ingest([corrected], db=db_path).ok
    referrals = reader.query(
        "select child_id, referral_date from cin_referrals order by child_id, referral_date"
    )
    # The resubmitted year replaces its rows: C's corrected referral; A's episode, which the
    # resubmission no longer has, falls back to the 2023 census's version (still open).
    assert [(c, d.date()) for c, d in referrals.itertuples(index=False)] == [
        ("A", date(2023, 1, 10)),
        ("B", date(2022, 5, 1)),
        ("C", date(2023, 6, 2)),
    ]
    closure = reader.query("select closure_date from cin_referrals where child_id = 'A'")["closure_date"]
    assert closure.isna().all()
    assert count(db_path, "cin_census_returns") == 2


def test_sniff_recognises_cin_census_only(tmp_path: Path) -> None:
    cin = write_census(tmp_path, "anything.xml", [child_xml("A", episode_xml("2023-05-01"))])
    assert LOADER.sniff(cin, cin.read_bytes())
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?>\n<!-- a comment -->\n<Message><Header/><Workers/></Message>')
    assert not LOADER.sniff(other, other.read_bytes())
    csv = tmp_path / "cin.csv"
    csv.write_bytes(cin.read_bytes())
    assert not LOADER.sniff(csv, csv.read_bytes())


def test_ingest_then_measures_from_the_store(tmp_path: Path, db_path: Path) -> None:
    from metrics import child_protection, front_door

    path = write_census(
        tmp_path,
        "cin.xml",
        [
            child_xml("A", episode_xml("2023-05-02", assessments=(("2023-05-02", "2023-05-09"),))),
            child_xml("B", episode_xml("2023-05-03", plans=(plan_xml("2023-05-20", previous=1),))),
        ],
    )
    assert ingest([path], db=db_path).ok
    with write_session(db_path) as writer:
        doors = front_door.compute(writer)
        protection = child_protection.compute(writer)
    may = doors[
        (doors["indicator_id"] == "assessments_45_days")
        & (doors["period_type"] == "month")
        & (doors["period_end"] == date(2023, 5, 31))
    ].iloc[0]
    assert (may["numerator"], may["denominator"], may["value"]) == (1, 1, 100.0)
    repeat = protection[
        (protection["indicator_id"] == "repeat_cp_plans")
        & (protection["period_type"] == "ytd")
        & (protection["period_end"] == date(2024, 3, 31))
    ].iloc[0]
    assert (repeat["numerator"], repeat["denominator"]) == (1, 1)
