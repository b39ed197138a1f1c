"""Hostile files made small on the fly (xlsx with huge claimed extents, big parquets, bad CSVs)."""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
    'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_xlsx(path: Path, rows: list[str]) -> Path:
    """A minimal workbook whose sheet holds the given <row> elements (already XML)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>' + "".join(rows) + "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def far_corner_xlsx(path: Path) -> Path:
    """One header cell and one cell at XFD1048576 (claims the whole sheet)."""
    return write_xlsx(
        path,
        ['<row r="1">' + _cell("A1", "indicator") + "</row>",
         '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"],
    )


def xfd_every_999_rows_xlsx(path: Path, rows: int = 1_000_000) -> Path:
    return write_xlsx(
        path, [f'<row r="{r}">' + _cell(f"XFD{r}", "x") + "</row>" for r in range(1, rows, 999)]
    )


def many_rows_xlsx(path: Path, rows: int) -> Path:
    return write_xlsx(
        path, [f'<row r="{r}">' + _cell(f"A{r}", "1") + "</row>" for r in range(1, rows + 1)]
    )


def many_rows_parquet(path: Path, rows: int) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"value": pa.repeat(pa.scalar(1, pa.int8()), rows)}), path)
    return path


def many_rows_csv(path: Path, rows: int, header: str, line: str) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        block = (line + "\n") * 10_000
        for _ in range(rows // 10_000):
            handle.write(block)
    return path
