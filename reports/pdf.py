"""The pack as a PDF for the board pack, typeset by Typst (the `typst` wheel, no system packages).

The pack is written as JSON beside the chart PNGs in a temporary folder and `pack.typ` reads it;
every text reaches Typst as a JSON string, so commentary or an indicator name can never be read as
markup. Typst embeds its fonts (Liberation Sans where the system has it, else its own), numbers
the pages, repeats table headers across page breaks, and compiles a pack in well under a second.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typst

from reports.pack import Pack, Table

TEMPLATE = Path(__file__).resolve().parent / "pack.typ"


class PdfFailed(RuntimeError):
    """Typst could not typeset the pack."""


def _table(table: Table) -> dict[str, Any]:
    return {"columns": table.columns, "rows": table.rows, "rag": table.rag}


def pack_document(pack: Pack, image_names: list[str]) -> dict[str, Any]:
    """The pack as the JSON `pack.typ` reads; `image_names` are the charts' file names, in order."""
    options = pack.options
    paths = dict(zip([id(c) for c in pack.charts], image_names, strict=True))
    cover_lines = []
    if options.meeting:
        cover_lines.append(f"Meeting: {options.meeting}")
    if options.meeting_date:
        cover_lines.append(f"Date of meeting: {options.meeting_date:%d %B %Y}")
    cover_lines.append(f"Protective marking: {pack.marking}")
    cover_notes = []
    if options.for_publication:
        cover_notes.append("Part I: prepared for publication (small numbers suppressed).")
    if pack.synthetic:
        cover_notes.append("Synthetic demo data: these figures are generated, not any LA's real records.")
    summary_lines = []
    if pack.not_rated:
        summary_lines.append(f"{pack.not_rated} further indicator(s) have no target or RAG.")
    summary_lines.append(f"Improvement plan: {pack.plan_sentence}")
    return {
        "title": options.title,
        "la_name": pack.la_name,
        "period": pack.period_label,
        "reporting_year": pack.reporting_year,
        "marking": pack.marking,
        "footer": f"{pack.la_name}: {options.title}, {pack.period_label}. {pack.marking}.",
        "cover_lines": cover_lines,
        "cover_notes": cover_notes,
        "built": f"Built from the dashboard's store on {pack.generated_at:%d %B %Y at %H:%M}.",
        "summary": pack.summary_sentence,
        "summary_lines": summary_lines,
        "exceptions": [
            {
                "indicator": e.indicator,
                "area": e.area,
                "value": e.value,
                "target": e.target,
                "period": e.period,
                "commentary": e.commentary,
                "by": e.commentary_by,
            }
            for e in pack.exceptions
        ],
        "areas": [
            {
                "name": area.name,
                "table": _table(area.table),
                "charts": [{"path": paths[id(c)], "title": c.title} for c in area.charts],
            }
            for area in pack.areas
        ],
        "plan_sentence": pack.plan_sentence,
        "plan": _table(pack.plan),
        "caseload_note": pack.caseload_note,
        "caseloads": [{"caption": caption, "table": _table(t)} for caption, t in pack.caseload_tables],
        "dq_notes": _table(pack.dq_notes),
        "reading_notes": pack.reading_notes,
        "definitions": [d.__dict__ for d in pack.definitions],
    }


def write_pdf(pack: Pack, images: list[bytes]) -> bytes:
    """The PDF bytes of the pack; `images` are the PNGs of `pack.charts`, in order."""
    with tempfile.TemporaryDirectory(prefix="csc-pack-") as folder:
        root = Path(folder)
        names = []
        for number, image in enumerate(images):
            name = f"chart-{number:02d}.png"
            (root / name).write_bytes(image)
            names.append(name)
        (root / "pack.json").write_text(json.dumps(pack_document(pack, names)), encoding="utf-8")
        shutil.copyfile(TEMPLATE, root / "pack.typ")
        try:
            return bytes(
                typst.compile(str(root / "pack.typ"), root=str(root), sys_inputs={"data": "pack.json"})
            )
        except RuntimeError as error:
            raise PdfFailed(f"the PDF could not be typeset: {error}") from error
