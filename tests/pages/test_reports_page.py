"""The Reports page: choices, a preview drawn from the same pack as the files, and the downloads."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from loaders.store import Reader
from pages.components import auth, reports_view
from reports.build import render
from reports.pack import Pack, PackOptions, build_pack
from reports.word import TemplateUnreadable
from tests.pages.store_builder import LA, build_small_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SEPTEMBER = date(2024, 9, 30)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_store(tmp_path_factory.mktemp("reports") / "dashboard.duckdb")


@pytest.fixture
def app(small_store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CSC_DB", str(small_store))
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/reports.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def child_protection(at: AppTest) -> dict[str, list[str]]:
    table = next(d.value for d in at.dataframe if "Repeat CP plans" in set(d.value.get("Indicator", [])))
    return {row["Indicator"]: list(row) for _, row in table.iterrows()}


def pack_row(pack: Pack, indicator: str) -> list[str]:
    return next(row for area in pack.areas for row in area.table.rows if row[0] == indicator)


def test_the_preview_is_the_pack(app: AppTest, small_store: Path) -> None:
    pack = build_pack(Reader(small_store), PackOptions(LA, SEPTEMBER))
    assert app.selectbox(key="report_month").value == SEPTEMBER
    assert any(m.value == f"**{pack.summary_sentence}**" for m in app.markdown)
    assert {m.label: m.value for m in app.metric}["● Green"] == str(pack.counts["green"])
    repeat = child_protection(app)["Repeat CP plans"]
    assert repeat[:5] == pack_row(pack, "Repeat CP plans")[:5]
    assert repeat[:5] == ["Repeat CP plans", "12.3%", "Sep 2024 (rolling 12 months)", "63 of 513", "10.0%"]
    assert any("typed twice" in str(v) for d in app.dataframe for v in d.value.get("Finding", []))


def test_publication_mode_suppresses_the_preview(app: AppTest, small_store: Path) -> None:
    app.checkbox(key="report_publication").check().run()
    assert not app.exception
    published = build_pack(Reader(small_store), PackOptions(LA, SEPTEMBER, for_publication=True))
    repeat = child_protection(app)["Repeat CP plans"]
    assert repeat[:5] == pack_row(published, "Repeat CP plans")[:5]
    assert repeat[2] == "Sep 2024 (rolling 12 months)"
    assert app.selectbox(key="report_marking_publication").value == "OFFICIAL"


def test_building_offers_both_downloads(app: AppTest) -> None:
    app.button(key="report_build").click().run()
    assert not app.exception and not app.error
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Download DOCX (editable)", "Download PDF (board pack)"]


def test_a_viewer_gets_the_publication_copy_only(small_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    viewer = auth.User(name="vera.viewer@council.gov.uk", role="viewer", single_user=False)
    monkeypatch.setattr(auth, "current_user", lambda: viewer)
    monkeypatch.setenv("CSC_DB", str(small_store))
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/reports.py").run()
    box = at.checkbox(key="report_publication")
    assert box.value is True and box.disabled
    with pytest.raises(auth.PermissionDenied, match="needs the analyst role"):
        reports_view.report_files(PackOptions(LA, SEPTEMBER))


def test_the_downloads_are_the_clis_files_in_the_uploaded_template(
    small_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_DB", str(small_store))
    template = Document()
    template.sections[0].footer.paragraphs[0].text = "Committee paper template v3"
    upload = io.BytesIO()
    template.save(upload)
    options = PackOptions(LA, SEPTEMBER, charts=())
    files = reports_view.report_files(options, upload.getvalue(), "council.docx")
    document = Document(io.BytesIO(files[".docx"]))
    assert document.sections[0].footer.paragraphs[0].text == "Committee paper template v3"
    cli = render(Reader(small_store), options).files
    assert [p.text for p in document.paragraphs] == [
        p.text for p in Document(io.BytesIO(cli[".docx"])).paragraphs
    ]
    assert files[".pdf"].startswith(b"%PDF")
    with pytest.raises(TemplateUnreadable, match=r"^notes\.docx: cannot open it as a Word template"):
        reports_view.report_files(replace(options, title="Another"), b"not a zip", "notes.docx")
