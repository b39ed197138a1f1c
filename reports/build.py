"""Build a pack and write it as DOCX or PDF: one function for the CLI, the Reports page and the tests."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from metrics.kpis import Queryable
from reports.charts import render_png
from reports.pack import Pack, PackOptions, build_pack
from reports.pdf import write_pdf
from reports.word import write_docx

FORMATS = (".docx", ".pdf")


@dataclass
class Rendered:
    pack: Pack
    files: dict[str, bytes]  # ".docx" / ".pdf" -> bytes
    seconds: dict[str, float] = field(default_factory=dict)  # phase -> wall seconds


def render(
    store: Queryable,
    options: PackOptions,
    formats: tuple[str, ...] = FORMATS,
    *,
    template: Path | None = None,
    with_charts: bool = True,
) -> Rendered:
    """The pack for `options` written in each of `formats` (".docx", ".pdf"), charts drawn once."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"cannot write {', '.join(unknown)}: expected .docx or .pdf")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    pack = build_pack(store, options)
    if not with_charts:
        for area in pack.areas:
            area.charts = []
    seconds["figures"] = time.perf_counter() - started
    started = time.perf_counter()
    images = render_png(pack.charts)
    seconds["charts"] = time.perf_counter() - started
    files: dict[str, bytes] = {}
    for kind in formats:
        started = time.perf_counter()
        files[kind] = write_docx(pack, images, template) if kind == ".docx" else write_pdf(pack, images)
        seconds[kind] = time.perf_counter() - started
    return Rendered(pack, files, seconds)
