"""The bounded reading layer: every input file is measured before any loader allocates for it.

A loader hands a file to pandas, calamine, openpyxl or pyarrow; those allocate for the extent the
file *claims* (an xlsx whose used range reaches XFD1048576 asks calamine for 512 GB). So before any
loader or kind sniffer opens a file, `check_readable` measures it cheaply and refuses, naming the
file and the limit, what no real LA or DfE file comes near:

- any file: at most MAX_FILE_BYTES on disk;
- xlsx/xlsm: each sheet's XML is streamed (never held whole) to find its real extent (the
  `<dimension>`, every `<row r=..>` and cell reference); at most MAX_SHEET_ROWS rows,
  MAX_SHEET_COLUMNS columns and MAX_SHEET_CELLS cells in the used rectangle, and at most
  MAX_XML_BYTES of sheet XML uncompressed (a zip bomb stops there). A damaged or cut-short
  workbook is refused as such;
- parquet: the row and column counts come from the footer metadata (no data read); a file that is
  not parquet, or is cut short, is refused as such;
- CSV/TXT: lines are counted in blocks (at most MAX_CSV_ROWS), the encoding is found (UTF-8 with
  or without BOM, UTF-16 with BOM, else Windows-1252 as Excel saves it) and a binary file (NUL
  bytes in a file with no UTF-16 BOM) is refused.

`csv_encoding` gives every CSV reader the same encoding; `text_head` gives kind sniffers a UTF-8
view of a UTF-16 file's first bytes. The limits keep any single file's peak memory under 1 GB
(tests/perf/hostile.py measures it).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from loaders.problems import LoadFailed, Problem

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_SHEET_ROWS = 300_000
MAX_SHEET_COLUMNS = 1_000
MAX_SHEET_CELLS = 5_000_000
MAX_XML_BYTES = 1024 * 1024 * 1024
MAX_CSV_ROWS = 300_000
MAX_PARQUET_ROWS = 2_000_000
MAX_PARQUET_COLUMNS = 1_000

EXCEL_ZIP_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
BLOCK = 1 << 20

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]+)\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"\br=\"([0-9]+)\"")
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Z]{1,3})?([0-9]+)?(?::([A-Z]{1,3})([0-9]+))?\""
)


def _refuse(name: str, message: str, expected: str | None = None) -> LoadFailed:
    return LoadFailed([Problem(file=name, message=message, expected=expected)])


def column_number(letters: bytes | str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for char in text:
        number = number * 26 + ord(char) - 64
    return number


def check_readable(path: Path, name: str) -> None:
    """Raise LoadFailed (naming `name` and the limit) for a file too large, damaged or binary."""
    size = path.stat().st_size
    if size == 0:
        raise _refuse(name, "the file is empty")
    if size > MAX_FILE_BYTES:
        raise _refuse(
            name,
            f"the file is {size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit "
            "for one file",
            "a file under the limit (split a larger one by year)",
        )
    suffix = path.suffix.lower()
    if suffix in EXCEL_ZIP_SUFFIXES:
        check_xlsx(path, name)
    elif suffix == ".parquet":
        check_parquet(path, name)
    elif suffix in CSV_SUFFIXES:
        check_csv(path, name)


def check_xlsx(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as book:
            sheets = [
                info for info in book.infolist()
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            ]
            if not sheets:
                raise _refuse(
                    name,
                    "cannot open it as an Excel workbook (it holds no worksheets)",
                    "an .xlsx file saved by Excel",
                )
            for info in sheets:
                _check_sheet(book, info, name)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise _refuse(
            name,
            "cannot open it as an Excel workbook: it is damaged, truncated or not a workbook "
            f"({type(error).__name__})",
            "a complete .xlsx file (save it again from Excel)",
        ) from None


def _check_sheet(book: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    sheet = info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    if info.file_size > MAX_XML_BYTES:
        raise _limit(name, sheet, f"its sheet data is {info.file_size // (1024 * 1024)} MB uncompressed")
    max_row = max_column = rows_seen = 0
    read = 0
    tail = b""
    with book.open(info) as handle:
        while block := handle.read(BLOCK):
            read += len(block)
            if read > MAX_XML_BYTES:
                raise _limit(name, sheet, "its sheet data is over the uncompressed limit")
            text = tail + block
            cut = text.rfind(b">") + 1
            chunk, tail = text[:cut], text[cut:]
            if len(tail) > BLOCK:
                tail = tail[-4096:]
            for match in _DIMENSION.finditer(chunk):
                last_col, last_row = match.group(3), match.group(4)
                if last_col and last_row:
                    max_column = max(max_column, column_number(last_col))
                    max_row = max(max_row, int(last_row))
            for match in _ROW_TAG.finditer(chunk):
                rows_seen += 1
                number = _ROW_NUMBER.search(match.group(1))
                max_row = max(max_row, int(number.group(1)) if number else rows_seen)
            for match in _CELL_REF.finditer(chunk):
                max_column = max(max_column, column_number(match.group(1)))
                max_row = max(max_row, int(match.group(2)))
            _within(name, sheet, max(max_row, rows_seen), max_column)


def _within(name: str, sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_SHEET_ROWS:
        raise _limit(name, sheet, f"its used range reaches row {rows:,}")
    if columns > MAX_SHEET_COLUMNS:
        raise _limit(name, sheet, f"its used range reaches column {columns:,}")
    if rows * columns > MAX_SHEET_CELLS:
        raise _limit(name, sheet, f"its used range is {rows:,} rows by {columns:,} columns")


def _limit(name: str, sheet: str, found: str) -> LoadFailed:
    return _refuse(
        name,
        f"{sheet}: {found}, beyond what this dashboard reads "
        f"(at most {MAX_SHEET_ROWS:,} rows, {MAX_SHEET_COLUMNS:,} columns and {MAX_SHEET_CELLS:,} cells "
        "a sheet; real LA files are far smaller)",
        "a sheet whose used range covers only its data (delete stray cells far below or to the right)",
    )


def check_parquet(path: Path, name: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(path)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise _refuse(
            name,
            "not a readable parquet file: it is damaged, cut short or another format "
            f"({type(error).__name__})",
            "a complete .parquet file",
        ) from None
    if metadata.num_rows > MAX_PARQUET_ROWS or metadata.num_columns > MAX_PARQUET_COLUMNS:
        raise _refuse(
            name,
            f"the file holds {metadata.num_rows:,} rows and {metadata.num_columns:,} columns, beyond what "
            f"this dashboard reads (at most {MAX_PARQUET_ROWS:,} rows and {MAX_PARQUET_COLUMNS:,} columns; "
            "real LAIT and EES files are far smaller)",
            "a file of published LA figures",
        )


def check_csv(path: Path, name: str) -> None:
    encoding = csv_encoding(path, name)
    newline = "\n".encode(encoding.removesuffix("-sig")) if encoding.startswith("utf-16") else b"\n"
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            lines += block.count(newline)
            if lines > MAX_CSV_ROWS + 1:
                raise _refuse(
                    name,
                    f"the file has over {MAX_CSV_ROWS:,} rows, beyond what this dashboard reads in one "
                    "file (real LA and DfE files are far smaller)",
                    "a file of one LA's or one year's rows",
                )


def csv_encoding(path: Path, name: str | None = None) -> str:
    """The encoding to read a CSV with: utf-8-sig, utf-16 (with BOM), utf-8 or cp1252 (as Excel
    saves 'CSV (Comma delimited)'); every CSV reader, the performance workbook's included, uses it.

    Raises LoadFailed for a binary file (NUL bytes without a UTF-16 BOM, or more than 1% control
    characters) and for a byte that is neither UTF-8 nor Windows-1252, naming its line."""
    name = name or path.name
    with open(path, "rb") as handle:
        start = handle.read(4)
        if start.startswith(UTF16_BOMS):
            return "utf-16"
        handle.seek(0)
        decoder_ok = True
        decoder = codecs.getincrementaldecoder("utf-8")()
        first = True
        while block := handle.read(BLOCK):
            if b"\x00" in block or (first and _control_ratio(block) > 0.01):
                raise _refuse(
                    name,
                    "not a text CSV file (it contains binary data)",
                    "a CSV saved as text (UTF-8 or Windows-1252)",
                )
            first = False
            if decoder_ok:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    decoder_ok = False
        if decoder_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                decoder_ok = False
    if decoder_ok:
        return "utf-8-sig" if start.startswith(b"\xef\xbb\xbf") else "utf-8"
    _check_cp1252(path, name)
    return "cp1252"


def _control_ratio(sample: bytes) -> float:
    controls = sum(1 for byte in sample[:65536] if byte < 32 and byte not in (9, 10, 13))
    return controls / min(len(sample), 65536)


def _check_cp1252(path: Path, name: str) -> None:
    """Refuse a file with a byte Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)."""
    line = 1
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            try:
                block.decode("cp1252")
            except UnicodeDecodeError as error:
                line += block[: error.start].count(b"\n")
                raise LoadFailed(
                    [
                        Problem(
                            file=name,
                            row=line,
                            message=f"cannot read the text: byte 0x{block[error.start]:02x} on line "
                            f"{line} is neither UTF-8 nor Windows-1252",
                            expected="a CSV saved as 'CSV UTF-8' or 'CSV (Comma delimited)'",
                        )
                    ]
                ) from None
            line += block.count(b"\n")


def text_head(head: bytes) -> bytes:
    """A file's first bytes as UTF-8 for the kind sniffers (a UTF-16 file is transcoded)."""
    if head.startswith(UTF16_BOMS):
        even = head[: len(head) - len(head) % 2]
        return even.decode("utf-16", errors="replace").encode("utf-8")
    return head
