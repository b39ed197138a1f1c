"""Commentary: stored with versions, loaded from files with row-and-column messages, read back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from loaders.commentary import Subject, add_commentary, save_commentary
from loaders.ingest import ingest
from loaders.problems import LoadFailed
from loaders.registry import detect_kind
from loaders.store import Reader, write_session
from metrics.commentary import commentary_export, commentary_history, current_commentary, text_for
from metrics.export import to_csv_bytes
from tests.conftest import assert_same_store, store_snapshot

PLAN = (
    "ref,recommendation,linked indicators\n"
    "R1,Reduce repeat child protection plans,repeat_cp_plans\n"
    "R2,Stay in touch with care leavers,care_leavers_in_touch_17_18\n"
)
SEPTEMBER = date(2024, 9, 30)


@pytest.fixture
def store(tmp_path: Path, db_path: Path) -> Path:
    plan = tmp_path / "plan.csv"
    plan.write_text(PLAN)
    report = ingest([plan], db=db_path, la_code="929")
    assert report.ok, report.messages
    return db_path


def write(tmp_path: Path, text: str, name: str = "commentary.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_edit_is_a_new_version_and_the_old_one_stays(store: Path) -> None:
    subject = Subject(indicator_id="repeat_cp_plans")
    first = save_commentary(
        store,
        la_code="929",
        subject=subject,
        month=date(2024, 9, 12),
        text="3 of 37 plans were repeats.",
        author="Head of Safeguarding",
    )
    second = save_commentary(
        store,
        la_code="929",
        subject=subject,
        month=SEPTEMBER,
        text="3 of 37 plans were repeats; all were audited.",
        author="Service Manager",
    )
    assert (first, second) == (1, 2)
    history = commentary_history(Reader(store), "929", SEPTEMBER, indicator_id="repeat_cp_plans")
    assert history["version"].tolist() == [2, 1]
    assert history["author"].tolist() == ["Service Manager", "Head of Safeguarding"]
    assert history["month"].tolist() == [SEPTEMBER, SEPTEMBER]  # any day of the month is its month end
    current = current_commentary(Reader(store), "929")
    assert current["text"].tolist() == ["3 of 37 plans were repeats; all were audited."]


def test_saving_the_same_text_again_keeps_one_version(store: Path) -> None:
    subject = Subject(recommendation_ref="R1")
    for _ in range(2):
        version = save_commentary(
            store, la_code="929", subject=subject, month=SEPTEMBER, text="On track.", author="Head of Service"
        )
    assert version == 1
    assert len(commentary_export(Reader(store), "929")) == 1


@pytest.mark.parametrize(
    ("subject", "text", "message"),
    [
        (Subject(indicator_id="repeat_cp_plans"), "   ", "the commentary is blank"),
        (Subject(indicator_id="repeat_cp_plans"), "x" * 2001, "the commentary is 2001 characters long"),
        (
            Subject(indicator_id="repeat_cp_plans"),
            "The child at NE61 1AB moved.",
            "the commentary contains what looks like a postcode",
        ),
        (
            Subject(indicator_id="repeat_cp_plans"),
            "Case 12345678 was reviewed.",
            "the commentary contains what looks like a long number such as a case or child id",
        ),
        (Subject(indicator_id="no_such_indicator"), "Fine.", "unknown indicator"),
        (Subject(recommendation_ref="R9"), "Fine.", "no such recommendation in the LA's plan"),
    ],
)
def test_bad_commentary_is_refused_and_nothing_changes(
    store: Path, subject: Subject, text: str, message: str
) -> None:
    before = store_snapshot(store)
    with pytest.raises(LoadFailed) as failure:
        save_commentary(store, la_code="929", subject=subject, month=SEPTEMBER, text=text, author="A")
    assert [p.message for p in failure.value.problems] == [message]
    assert "NE61" not in str(failure.value) and "12345678" not in str(failure.value)
    assert_same_store(before, store_snapshot(store))


def test_a_subject_is_an_indicator_or_a_recommendation() -> None:
    with pytest.raises(ValueError):
        Subject()
    with pytest.raises(ValueError):
        Subject(indicator_id="repeat_cp_plans", recommendation_ref="R1")


def test_a_commentary_file_is_detected_and_loaded(tmp_path: Path, store: Path) -> None:
    path = write(
        tmp_path,
        "Indicator,Month,Text,Author,Recommendation\n"
        'Repeat CP plans,Sep-24,"3 of 37 plans were repeats, down from 5.",Head of Safeguarding,\n'
        "repeat_cp_plans,2024-08,Audit of repeat plans under way.,,\n"
        ",September 2024,Recommendation on track.,Head of Service,R2\n",
    )
    assert detect_kind(path).kind == "commentary"
    report = ingest([path], db=store, la_code="929")
    assert report.ok, report.messages
    assert report.files[0].rows == 3
    current = current_commentary(Reader(store), "929")
    assert current[["indicator_id", "month", "author"]].fillna("").values.tolist() == [
        ["repeat_cp_plans", date(2024, 8, 31), "file commentary.csv"],
        ["repeat_cp_plans", SEPTEMBER, "Head of Safeguarding"],
        ["", SEPTEMBER, "Head of Service"],
    ]
    assert current["source_file"].tolist() == ["commentary.csv"] * 3
    row = text_for(current, ref="R2", month=SEPTEMBER)
    assert row is not None and row["text"] == "Recommendation on track."
    assert text_for(current, indicator_id="repeat_cp_plans", month=date(2024, 7, 31)) is None


def test_a_commentary_workbook_loads(tmp_path: Path, store: Path) -> None:
    path = tmp_path / "commentary.xlsx"
    pd.DataFrame(
        {"Indicator": ["re_referrals"], "Month": [datetime(2024, 9, 1)], "Commentary": ["Re-referrals fell."]}
    ).to_excel(path, index=False)
    assert detect_kind(path).kind == "commentary"
    report = ingest([path], db=store, la_code="929")
    assert report.ok, report.messages
    assert current_commentary(Reader(store), "929")["month"].tolist() == [SEPTEMBER]


def test_a_bad_file_names_every_row_and_column_and_changes_nothing(tmp_path: Path, store: Path) -> None:
    path = write(
        tmp_path,
        "indicator,month,text\n"
        "repeat_cp_plans,Sept 2024,Fine.\n"
        "Repeat CP plans,Septembre,Fine.\n"
        "no such thing,2024-09,Fine.\n"
        "re_referrals,2024-09,\n"
        "re_referrals,2024-10,Call 07700900123 about it.\n"
        "repeat_cp_plans,2024-09,Again.\n",
    )
    before = store_snapshot(store)
    report = ingest([path], db=store, la_code="929")
    assert not report.ok
    assert report.messages == [
        "commentary.csv: row 3, column month: invalid value (found 'Septembre'; expected the month the "
        "commentary explains, such as 2024-09, Sep-24 or September 2024)",
        "commentary.csv: row 5, column text: invalid value (expected the commentary (not blank, at most "
        "2000 characters))",
        "commentary.csv: row 4, column indicator: unknown indicator (found 'no such thing'; expected an "
        "indicator id or name from the catalogue or the LA's performance workbook, or blank when the row "
        "has a recommendation ref)",
        "commentary.csv: row 6, column text: the commentary contains what looks like a long number such "
        "as a case or child id (expected commentary about the figures, with no child-level detail)",
        "commentary.csv: row 7, column month: a second commentary for the same subject and month "
        "(expected one commentary per indicator (or recommendation) and month in a file)",
    ]
    assert "07700900123" not in "\n".join(report.messages)
    assert_same_store(before, store_snapshot(store))


def test_loading_the_same_text_again_stores_nothing_new(tmp_path: Path, store: Path) -> None:
    first = write(tmp_path, "indicator,month,text\nrepeat_cp_plans,2024-09,Fine.\n", "a.csv")
    again = write(tmp_path, "indicator,month,text,author\nrepeat_cp_plans,2024-09,Fine.,Someone\n", "b.csv")
    assert ingest([first], db=store, la_code="929").ok
    report = ingest([again], db=store, la_code="929")
    assert report.ok and report.files[0].rows == 0
    assert report.files[0].messages == [
        "b.csv: 1 row(s) repeat the current commentary and were not stored again"
    ]


def test_the_export_holds_every_version(store: Path) -> None:
    with write_session(store) as writer:
        for text in ('=HYPERLINK("x") first', "second"):
            add_commentary(
                writer,
                la_code="929",
                subject=Subject(indicator_id="re_referrals"),
                month=SEPTEMBER,
                text=text,
                author="Analyst",
            )
    export = commentary_export(Reader(store), "929")
    assert export["version"].tolist() == [1, 2]
    csv = to_csv_bytes(export).decode("utf-8-sig")
    assert csv.splitlines()[0] == (
        "la_code,indicator_id,recommendation_ref,month,version,text,author,created_at,source_file"
    )
    assert "second" in csv
