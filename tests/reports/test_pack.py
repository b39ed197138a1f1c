"""The committee report pack, read back: the DOCX with python-docx and the PDF's text with pdftotext.

A small store (tests/pages/store_builder.py) with a red indicator, commentary and caseload lists
is built once; every figure in the DOCX's indicator tables is checked against the export
(metrics.export) for the same LA and month, and the publication copy against the export with the
Export page's suppression. One build draws the charts and renders the PDF's pages to PNG in
tests/screenshots/ for a person to look at.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from loaders.commentary import Subject, add_commentary
from loaders.store import Reader, write_session
from metrics.catalogue import load_catalogue
from metrics.disclosure import suppress
from metrics.export import export_frame
from reports import formatting as fmt
from reports.build import Rendered, render
from reports.pack import INDICATOR_COLUMNS, PackOptions, build_pack
from tests.pages.store_builder import LA, build_small_store

SEPTEMBER = date(2024, 9, 30)
RED_COMMENTARY = "In touch with 95 of 100; the four we lost touch with moved abroad."
PLAN_COMMENTARY = "Repeat plans are audited monthly; the rate is below target."
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (apt-get install poppler-utils) is not installed"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_small_store(tmp_path_factory.mktemp("pack") / "store.duckdb")
    with write_session(path) as writer:
        writer.execute(
            "update targets set target = 99, tolerance = 1 where indicator_id = 'care_leavers_in_touch_17_18'"
        )
        for subject, text, version_text in (
            (Subject(indicator_id="care_leavers_in_touch_17_18"), "First draft.", RED_COMMENTARY),
            (Subject(recommendation_ref="1"), PLAN_COMMENTARY, None),
        ):
            add_commentary(
                writer,
                la_code=LA,
                subject=subject,
                month=SEPTEMBER,
                text=text,
                author="Head of Service",
                created_at=datetime(2024, 10, 1, 9, 0),
            )
            if version_text:
                add_commentary(
                    writer,
                    la_code=LA,
                    subject=subject,
                    month=SEPTEMBER,
                    text=version_text,
                    author="Head of Care Leavers",
                    created_at=datetime(2024, 10, 2, 9, 0),
                )
    return path


@pytest.fixture(scope="module")
def internal(store: Path) -> Rendered:
    options = PackOptions(LA, SEPTEMBER, meeting="Corporate Parenting Board", meeting_date=date(2024, 10, 10))
    return render(Reader(store), options, with_charts=False)


@pytest.fixture(scope="module")
def published(store: Path) -> Rendered:
    return render(Reader(store), PackOptions(LA, SEPTEMBER, for_publication=True), with_charts=False)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def docx_tables(content: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def indicator_tables(content: bytes) -> list[list[str]]:
    """Every row of every area table (header INDICATOR_COLUMNS), header rows left out."""
    return [row for table in docx_tables(content) if table[0] == INDICATOR_COLUMNS for row in table[1:]]


def pdf_pages(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_cells(row: pd.Series) -> list[str]:
    """What the pack's table shows for an export row, by the report's formatting."""
    places = load_catalogue().get(row["indicator_id"]).decimal_places
    unit = row["unit"]
    return [
        load_catalogue().get(row["indicator_id"]).short_name,
        fmt.number(row["value"], unit, places, row["status"]),
        fmt.period(row["period_end"], row["period_type"], row["indicator_id"]),
        fmt.n_text(row["numerator"], row["denominator"], unit),
        fmt.number(row["target"], unit, places),
        fmt.rag(row["rag"] if row["status"] != "c" else None),
        fmt.direction(row["published_direction"]),
        fmt.number(row["sn_mean"], unit, places),
        fmt.number(row["region"], unit, places),
        fmt.number(row["england"], unit, places),
        fmt.text(row["published_quartile"]),
        fmt.rank(row["published_rank"], row["published_rank_of"]),
    ]


def matching_export_row(export: pd.DataFrame, cells: list[str]) -> pd.Series:
    """The one export row of the table row's indicator, month and period type."""
    ids = {i.short_name: i.id for i in load_catalogue()}
    mine = export[export["indicator_id"] == ids[cells[0]]]
    found = mine[
        [
            fmt.period(p, t, ids[cells[0]]) == cells[2]
            for p, t in zip(mine["period_end"], mine["period_type"], strict=True)
        ]
    ]
    assert len(found) == 1, cells
    return found.iloc[0]


def test_the_summary_sentence_is_in_both_files(internal: Rendered, tmp_path: Path) -> None:
    # Both rated indicators are red in their headline period (metrics.headlines): repeat CP plans in
    # the rolling 12 months, 63 of 513 = 12.3% against 10.0% with 2.0 tolerance (missed by 2.3);
    # care leavers in touch (month only) 95 of 100 against 99% with 1.0 tolerance (missed by 4).
    sentence = "0 indicators are rated Green, 0 Amber, 2 Red; 1 improving, 0 declining."
    assert internal.pack.summary_sentence == sentence
    assert sentence in docx_text(internal.files[".docx"])


def test_the_cover_names_the_la_period_meeting_and_marking(internal: Rendered, tmp_path: Path) -> None:
    text = docx_text(internal.files[".docx"])
    for line in (
        "Northumberland",
        "Reporting period: September 2024 (reporting year 2024/25)",
        "Meeting: Corporate Parenting Board",
        "Date of meeting: 10 October 2024",
        "Protective marking: OFFICIAL-SENSITIVE",
    ):
        assert line in text
    document = Document(io.BytesIO(internal.files[".docx"]))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"


def test_every_table_value_is_the_exports(internal: Rendered, store: Path, tmp_path: Path) -> None:
    export = export_frame(Reader(store), LA, period_to=SEPTEMBER)
    rows = indicator_tables(internal.files[".docx"])
    assert [r[0] for r in rows] == ["ICPCs in 15 days", "Repeat CP plans", "Care leavers in touch (17-18)"]
    for cells in rows:
        assert cells == expected_cells(matching_export_row(export, cells))
    repeat = next(r for r in rows if r[0] == "Repeat CP plans")
    # the headline is the rolling 12 months (as the DfE reports it), not September alone (3 of 37):
    # (3+5+4+6+2+3) + 40 = 63 repeat plans of (37+40+30+41+28+37) + 300 = 513 plans, 12.3%
    assert repeat[1:6] == ["12.3%", "Sep 2024 (rolling 12 months)", "63 of 513", "10.0%", "■ Red"]


def test_red_indicators_carry_their_current_commentary(internal: Rendered, tmp_path: Path) -> None:
    exceptions = {e.indicator: e for e in internal.pack.exceptions}
    assert set(exceptions) == {"Repeat CP plans", "Care leavers in touch (17-18)"}  # the two reds
    exception = exceptions["Care leavers in touch (17-18)"]
    assert exception.indicator == "Care leavers in touch (17-18)"
    assert exception.commentary == RED_COMMENTARY  # the newest version, not the first draft
    assert exception.commentary_by == "Head of Care Leavers, 02 Oct 2024 (version 2)"
    text = docx_text(internal.files[".docx"])
    assert RED_COMMENTARY in text and "First draft." not in text
    assert "95% against a target of 99% (Sep 2024 (month))." in text
    plan = next(t for t in docx_tables(internal.files[".docx"]) if t[0][0] == "Ref")
    assert plan[1][0] == "1" and plan[1][-1] == f"{PLAN_COMMENTARY} (Sep 2024, Head of Service)"


def test_the_plan_is_rated_as_at_the_reporting_month(store: Path) -> None:
    # the store runs to September; an August pack's plan shows August's headline, as its table does
    pack = build_pack(Reader(store), PackOptions(LA, date(2024, 8, 31)))
    table = next(a for a in pack.areas if a.key == "child_protection").table
    repeat = next(r for r in table.rows if r[0] == "Repeat CP plans")
    plan = next(r for r in pack.plan.rows if r[0] == "1")
    assert repeat[2] == "Aug 2024 (rolling 12 months)"
    assert plan[4] == f"Repeat CP plans {repeat[1]} (Aug 2024)"


def test_caseloads_dq_notes_and_definitions(internal: Rendered) -> None:
    tables = docx_tables(internal.files[".docx"])
    service = next(t for t in tables if t[0][0] == "Service area")
    assert service[0] == [
        "Service area",
        "Caseload average March 2024",
        "Range March 2024",
        "Caseload average July 2024",
        "Range July 2024",
        "Case holders",
        "Within standard",
    ]
    assert service[1][:3] == ["Initial Response Service", "27.2", "5-46"]
    notes = next(t for t in tables if t[0][0] == "Indicator" and "Finding" in t[0])
    assert notes[1][2] == "book.xlsx: September repeat CP plans typed twice"
    text = docx_text(internal.files[".docx"])
    assert load_catalogue().get("repeat_cp_plans").definition in text
    assert not any("W00" in cell for table in tables for row in table for cell in row)  # no worker ids


def test_publication_suppresses_small_numbers_as_the_export_page(
    published: Rendered, store: Path, tmp_path: Path
) -> None:
    # the mask is a property of the LA's whole table (every month), not of the months shown
    suppressed = suppress(export_frame(Reader(store), LA))
    rows = indicator_tables(published.files[".docx"])
    for cells in rows:
        assert cells == expected_cells(matching_export_row(suppressed, cells))
    repeat = next(r for r in rows if r[0] == "Repeat CP plans")
    # the mask over the LA's whole table hides the small months (3 of 37 in September) and the
    # cells that would give them away; the rolling 12 months total stays shown, as in the export
    assert repeat[1:4] == ["12.3%", "Sep 2024 (rolling 12 months)", "63 of 513"]
    text = docx_text(published.files[".docx"])
    assert "Protective marking: OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    assert "8.1%" not in text and "3 of 37" not in text
    tables = docx_tables(published.files[".docx"])
    assert not any("Range" in heading for table in tables for heading in table[0])
    service = next(t for t in tables if t[0][0] == "Service area")
    assert service[1] == ["Initial Response Service", "c", "c", "4", "c"]  # 4 case holders: under 5



def test_an_earlier_months_publication_pack_hides_what_the_whole_tables_export_hides(store: Path) -> None:
    # an August pack is suppressed with the mask of every month (September's too), so it shows
    # nothing the export, or a September pack beside it, would hide
    suppressed = suppress(export_frame(Reader(store), LA))
    options = PackOptions(LA, date(2024, 8, 31), for_publication=True)
    august = render(Reader(store), options, with_charts=False)
    rows = indicator_tables(august.files[".docx"])
    assert rows and any("Aug 2024" in cells[2] for cells in rows)
    for cells in rows:
        assert cells == expected_cells(matching_export_row(suppressed, cells))

@needs_pdftotext
def test_the_pdf_holds_the_cover_summary_every_table_value_and_the_commentary(
    internal: Rendered, tmp_path: Path
) -> None:
    pages = pdf_pages(internal.files[".pdf"], tmp_path)
    assert "Meeting: Corporate Parenting Board" in pages[0] and "OFFICIAL-SENSITIVE" in pages[0]
    assert internal.pack.summary_sentence in pages[1]
    text = squeezed("".join(pages))
    for cells in indicator_tables(internal.files[".docx"]):  # the DOCX's cells, checked against the export
        for cell in cells:
            assert squeezed(cell) in text, cell
    assert squeezed(RED_COMMENTARY) in text and squeezed(PLAN_COMMENTARY) in text
    assert "FirstDraft." not in text


@needs_pdftotext
def test_the_publication_pdf_is_suppressed(published: Rendered, tmp_path: Path) -> None:
    pdf = "".join(pdf_pages(published.files[".pdf"], tmp_path))
    assert "63 of 513" in pdf and "Protective marking: OFFICIAL\n" in pdf
    assert "3 of 37" not in pdf and "8.1%" not in pdf and "5-46" not in pdf


def test_a_template_supplies_styles_headers_and_footers(store: Path, tmp_path: Path) -> None:
    template = Document()
    template.sections[0].header.paragraphs[0].text = "Northumberland County Council"
    template.sections[0].footer.paragraphs[0].text = "Committee paper template v3"
    template.add_paragraph("Delete me: the template's own body text")
    path = tmp_path / "council.docx"
    template.save(path)
    result = render(Reader(store), PackOptions(LA, SEPTEMBER), (".docx",), template=path, with_charts=False)
    document = Document(io.BytesIO(result.files[".docx"]))
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert header == ["Northumberland County Council", "OFFICIAL-SENSITIVE"]
    assert document.sections[0].footer.paragraphs[0].text == "Committee paper template v3"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Delete me" not in text and result.pack.summary_sentence in text


@pytest.mark.skipif(shutil.which("chromium") is None, reason="the charts need Chromium")
def test_charts_are_embedded_and_the_pages_rendered_for_review(store: Path, tmp_path: Path) -> None:
    result = render(Reader(store), PackOptions(LA, SEPTEMBER, charts=("repeat_cp_plans",)))
    [chart] = result.pack.charts
    assert chart.title == "Northumberland: Repeat CP plans (rolling 12 months), Apr 2024 to Sep 2024"
    document = Document(io.BytesIO(result.files[".docx"]))
    [picture] = document.inline_shapes
    assert picture.width == pytest.approx(16 / 2.54 * 914400, rel=0.01)  # 16 cm in EMU
    image = document.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert image.image.px_width >= 1890  # at least 300 dpi across 16 cm
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(result.files[".pdf"])
    if shutil.which("pdfimages"):  # the same PNG at over 300 ppi in the PDF
        listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
        [chart_row] = [row for row in map(str.split, listed.stdout.splitlines()[2:]) if row[2] == "image"]
        assert chart_row[3:5] == ["1980", "836"] and int(chart_row[12]) >= 300  # width, height, x-ppi
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob("report-page-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", str(pdf), str(SCREENSHOTS / "report-page")], check=True
        )
        assert (
            len(list(SCREENSHOTS.glob("report-page-*.png")))
            == len(pdf_pages(result.files[".pdf"], tmp_path)) - 1
        )
