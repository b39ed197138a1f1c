"""The pack as an editable Word document (python-docx), optionally in the council's own template.

Committee papers are finished in the council's Word template, so the DOCX is the editable copy:
real headings, real tables (the header row repeats on each page), charts as pictures. With a
template, its styles, headers, footers and page set-up are kept and its body text is replaced by
the pack; a style the template lacks falls back to direct formatting, so any template works.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.charts import WIDTH_CM
from reports.formatting import RAG_FILLS
from reports.pack import Pack, Table

FONT = "Arial"
TABLE_FONT_PT = 8
GREY = RGBColor(0x55, 0x55, 0x55)


class TemplateUnreadable(ValueError):
    """The --template file is not a Word document python-docx can open."""


def _document(template: Path | None) -> Any:
    if template is None:
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin = section.bottom_margin = Cm(2.0)
        normal = document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        return document
    try:
        document = Document(str(template))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise TemplateUnreadable(
            f"{template.name}: cannot open it as a Word template ({type(error).__name__}); "
            "expected a .docx file saved by Word"
        ) from error
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _has_style(document: Any, name: str) -> bool:
    return any(style.name == name for style in document.styles)


def _heading(document: Any, text: str, level: int) -> None:
    style = f"Heading {level}"
    if _has_style(document, style):
        document.add_paragraph(text, style=style)
        return
    run = document.add_paragraph().add_run(text)
    run.bold = True
    run.font.size = Pt({1: 16, 2: 13, 3: 11}.get(level, 11))


def _paragraph(
    document: Any,
    text: str,
    *,
    bold: bool = False,
    size: float | None = None,
    grey: bool = False,
    style: str | None = None,
) -> Any:
    paragraph = document.add_paragraph(style=style if style and _has_style(document, style) else None)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = GREY
    return paragraph


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: Any, table: Table, widths: list[float] | None = None) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    if _has_style(document, "Table Grid"):
        grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(grid.rows[0])
    for cell, heading in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(heading)
        run.bold = True
        run.font.size = Pt(TABLE_FONT_PT)
        _shade(cell, "E7ECF2")
    rag_column = table.columns.index("RAG") if "RAG" in table.columns else None
    for number, values in enumerate(table.rows):
        cells = grid.add_row().cells
        for position, (cell, value) in enumerate(zip(cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(TABLE_FONT_PT)
            rating = table.rag[number] if number < len(table.rag) else None
            if position == rag_column and rating in RAG_FILLS:
                _shade(cell, RAG_FILLS[rating])
                run.bold = True
    if widths:
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)
    document.add_paragraph()


def _page_number_field(paragraph: Any) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _headers_and_footers(document: Any, pack: Pack, templated: bool) -> None:
    for section in document.sections:
        header = section.header
        if pack.marking not in "".join(p.text for p in header.paragraphs):
            paragraph = header.add_paragraph() if templated else header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(pack.marking)
            run.bold = True
        if templated:
            continue
        paragraph = section.footer.paragraphs[0]
        run = paragraph.add_run(
            f"{pack.la_name}: {pack.options.title}, {pack.period_label}. {pack.marking}. Page "
        )
        run.font.size = Pt(8)
        _page_number_field(paragraph)


def _cover(document: Any, pack: Pack) -> None:
    options = pack.options
    _paragraph(document, pack.marking, bold=True, size=12)
    document.add_paragraph()
    if _has_style(document, "Title"):
        document.add_paragraph(options.title, style="Title")
    else:
        _paragraph(document, options.title, bold=True, size=24)
    _paragraph(document, pack.la_name, bold=True, size=16)
    _paragraph(
        document, f"Reporting period: {pack.period_label} (reporting year {pack.reporting_year})", size=12
    )
    if options.meeting:
        _paragraph(document, f"Meeting: {options.meeting}", size=12)
    if options.meeting_date:
        _paragraph(document, f"Date of meeting: {options.meeting_date:%d %B %Y}", size=12)
    _paragraph(document, f"Protective marking: {pack.marking}", size=12)
    if options.for_publication:
        _paragraph(document, "Part I: prepared for publication (small numbers suppressed).", size=11)
    if pack.synthetic:
        _paragraph(
            document,
            "Synthetic demo data: these figures are generated, not any LA's real records.",
            bold=True,
            size=11,
        )
    _paragraph(
        document,
        f"Built from the dashboard's store on {pack.generated_at:%d %B %Y at %H:%M}.",
        size=9,
        grey=True,
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_docx(pack: Pack, images: list[bytes], template: Path | None = None) -> bytes:
    """The DOCX bytes of the pack; `images` are the PNGs of `pack.charts`, in order."""
    document = _document(template)
    _headers_and_footers(document, pack, templated=template is not None)
    _cover(document, pack)
    pictures = dict(zip([id(c) for c in pack.charts], images, strict=True))

    _heading(document, "Summary", 1)
    _paragraph(document, pack.summary_sentence, bold=True)
    if pack.not_rated:
        _paragraph(document, f"{pack.not_rated} further indicator(s) have no target or RAG.")
    _paragraph(document, f"Improvement plan: {pack.plan_sentence}")

    _heading(document, "Exceptions: indicators rated Red", 1)
    if not pack.exceptions:
        _paragraph(document, "No indicator is rated Red this month.")
    for item in pack.exceptions:
        _heading(document, f"{item.indicator} ({item.area})", 3)
        _paragraph(document, f"{item.value} against a target of {item.target} ({item.period}).")
        _paragraph(document, item.commentary)
        if item.commentary_by:
            _paragraph(document, f"Commentary by {item.commentary_by}", size=8, grey=True)

    for area in pack.areas:
        _heading(document, area.name, 1)
        if area.table.empty:
            _paragraph(document, "No values are loaded for this area.")
            continue
        _table(document, area.table, [3.2, 1.3, 2.0, 1.6, 1.2, 1.4, 1.6, 1.2, 1.2, 1.2, 1.0, 1.4])
        for chart in area.charts:
            document.add_picture(io.BytesIO(pictures[id(chart)]), width=Cm(WIDTH_CM))

    _heading(document, "Appendix A: Improvement plan", 1)
    _paragraph(document, pack.plan_sentence, bold=True)
    if not pack.plan.empty:
        _table(document, pack.plan, [0.8, 3.4, 2.4, 1.4, 3.0, 2.0, 1.4, 3.0])

    _heading(document, "Caseloads by service area and team", 1)
    _paragraph(document, pack.caseload_note)
    for caption, table in pack.caseload_tables:
        _heading(document, caption, 2)
        _table(document, table)

    _heading(document, "Data-quality notes for the figures shown", 1)
    if pack.dq_notes.empty:
        _paragraph(document, "No data-quality findings bear on the figures shown.")
    else:
        _table(document, pack.dq_notes)

    _heading(document, "Appendix B: Definitions and sources", 1)
    for note in pack.reading_notes:
        _paragraph(document, note, size=9)
    for definition in pack.definitions:
        _heading(document, definition.name, 3)
        _paragraph(document, definition.definition, size=9)
        _paragraph(
            document,
            f"Numerator: {definition.numerator}. Denominator: {definition.denominator}. "
            f"{definition.polarity}. Source: {definition.source}.",
            size=8,
            grey=True,
        )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
