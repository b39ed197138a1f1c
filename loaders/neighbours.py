"""Statistical neighbour lists (DfE/NFER children's services benchmarking tool), 2021 and 2025 models.

Why it is shaped this way: the lists come in three layouts: the GOV.UK workbook with title rows
above the header (`LA num, LA Name, ..., SN1, SNP, ..., SN10, SNP`), the same as CSV, and the
May 2025 wide CSV (`old_la_code, la_name, ..., SN_1, SN_1P, ...`). Each is read into one long
shape, `sn_groups(model, la_code, neighbour_rank, neighbour_code, closeness)`, with the model
version taken from the year in the file name (2021, 2025), or from the layout when the name has
none (SN1/SNP: 2021; SN_1/SN_1P: 2025). Loading a model replaces that model's lists only.
Closeness bands are normalised ("Close " / "Not Close" -> "Close" / "Not close").
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.errors

from loaders.base import IngestContext, LoadOutcome, is_known_la
from loaders.ees import header_columns
from loaders.problems import LoadFailed, Problem, problems_from_schema_errors
from loaders.reading import csv_encoding
from loaders.schemas.benchmarks import CLOSENESS, SN_EXPECTATIONS, SN_SCHEMA
from loaders.store import Writer

TABLES_SQL = Path(__file__).resolve().parent / "sql" / "benchmark_tables.sql"
HEADER_SEARCH_ROWS = 15
SN_GROUP_SIZE = 10
NO_NEIGHBOUR = ("", "-")


def _normalise(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def layout_of(columns: list[str]) -> str | None:
    """'2021' for the SN1/SNP layout, '2025' for SN_1/SN_1P, None otherwise."""
    names = [str(c).strip() for c in columns]
    if "SN_1" in names and "SN_1P" in names:
        return "2025"
    if "SN1" in names and "SNP" in names and any(_normalise(n) == "lanum" for n in names):
        return "2021"
    return None


def missing_columns(layout: str, columns: list[str]) -> list[str]:
    """The columns `long_lists` reads that a header of this layout lacks (a damaged header)."""
    names = [str(c).strip() for c in columns]
    if layout == "2025":
        wanted = ["old_la_code", *(f"SN_{k}{p}" for k in range(1, 11) for p in ("", "P"))]
        return [name for name in wanted if name not in names]
    missing = [f"SN{k}" for k in range(1, 11) if f"SN{k}" not in names]
    # every SNk is followed by its own SNP column
    missing += [f"SNP after SN{k}" for k in range(1, 11) if f"SN{k}" in names
                and (names.index(f"SN{k}") + 1 >= len(names) or names[names.index(f"SN{k}") + 1] != "SNP")]
    return missing


def model_of(file_name: str, layout: str) -> str:
    """The model year from the file name (e.g. ..._2021.csv), else the layout's."""
    years = re.findall(r"(?<!\d)(20[12]\d)(?!\d)", file_name)
    return years[-1] if years else layout


def _read_sheet(path: Path, rows: int | None = None) -> pd.DataFrame:
    """The workbook's first sheet (or the CSV) as text, header row found below any title rows;
    `rows` reads only the first rows (enough to recognise the layout)."""
    if path.suffix.lower() == ".csv":
        raw = pd.read_csv(
            path, header=None, dtype=str, keep_default_na=False, encoding=csv_encoding(path), nrows=rows
        )
    else:
        raw = pd.read_excel(path, header=None, dtype=str, engine="calamine", nrows=rows).fillna("")
    for position in range(min(HEADER_SEARCH_ROWS, len(raw))):
        header = [str(v).strip() for v in raw.iloc[position]]
        layout = layout_of(header)
        if layout:
            missing = missing_columns(layout, header)
            if missing:
                raise LoadFailed(
                    [
                        Problem(
                            file=path.name,
                            row=position + 1,
                            message=f"the {layout} neighbour header lacks {', '.join(missing)}",
                            expected="the LA code column and ten neighbours, each with its closeness column",
                        )
                    ]
                )
            frame = raw.iloc[position + 1 :].copy()
            frame.columns = header
            frame.attrs["header_row"] = position + 1
            return frame
    raise LoadFailed(
        [
            Problem(
                file=path.name,
                message="no statistical neighbour header row found",
                expected="a row with 'LA num', 'SN1', 'SNP', ... or 'old_la_code', 'SN_1', 'SN_1P', ...",
            )
        ]
    )


def long_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per LA and neighbour: la_code, neighbour_rank, neighbour_code, closeness, row."""
    layout = layout_of(list(frame.columns))
    positions = list(frame.columns)
    if layout == "2025":
        la_column = positions.index("old_la_code")
        pairs = [(positions.index(f"SN_{k}"), positions.index(f"SN_{k}P")) for k in range(1, 11)]
    else:
        la_column = next(i for i, n in enumerate(positions) if _normalise(n) == "lanum")
        sn = [positions.index(f"SN{k}") for k in range(1, 11)]
        pairs = [(i, i + 1) for i in sn]  # every SNk is followed by its own SNP column
    values = frame.to_numpy()
    header_row = int(frame.attrs.get("header_row", 1))
    rows = []
    for offset, record in enumerate(values):
        la_code = str(record[la_column]).strip()
        if not la_code:
            continue  # blank separator rows
        for rank, (code_at, band_at) in enumerate(pairs, start=1):
            if str(record[code_at]).strip() in NO_NEIGHBOUR:
                continue  # an LA the model gives no neighbours (e.g. created after it was built)
            rows.append(
                {
                    "la_code": la_code.removesuffix(".0"),
                    "neighbour_rank": rank,
                    "neighbour_code": str(record[code_at]).strip().removesuffix(".0"),
                    "closeness": _closeness(record[band_at]),
                    "row": header_row + offset + 1,
                }
            )
    return pd.DataFrame(rows)


def _closeness(text: object) -> str:
    words = " ".join(str(text).split()).lower()
    for band in CLOSENESS:
        if band.lower() == words:
            return band
    return " ".join(str(text).split())


def _check_one_full_list_per_la(lists: pd.DataFrame, name: str) -> None:
    """Each LA once, with all 10 neighbours (an LA the model gives none is simply not listed)."""
    problems: list[Problem] = []
    rows_of = lists.groupby("la_code", sort=True)["row"].unique()
    for la_code, rows in rows_of.items():
        if len(rows) > 1:
            problems.append(
                Problem(
                    file=name,
                    row=int(rows[1]),
                    column="LA code",
                    message=f"LA {la_code} is listed on {len(rows)} rows (first on row {int(rows[0])})",
                    expected="each LA on one row",
                )
            )
    counts = lists.groupby("la_code", sort=True).size()
    first_row = lists.groupby("la_code", sort=True)["row"].min()
    for la_code, count in counts.items():
        if count < SN_GROUP_SIZE and len(rows_of[la_code]) == 1:
            problems.append(
                Problem(
                    file=name,
                    row=int(first_row[la_code]),
                    message=f"LA {la_code} has {count} of {SN_GROUP_SIZE} statistical neighbours",
                    expected=f"all {SN_GROUP_SIZE} neighbours (SN_1 to SN_10, or SN1 to SN10) for each LA",
                )
            )
    if problems:
        raise LoadFailed(problems)


class NeighboursLoader:
    kind = "neighbours"
    description = "statistical neighbour lists (DfE benchmarking tool, 2021 or 2025 model)"

    def sniff(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return layout_of(list(header_columns(head))) is not None
        if suffix in (".xlsx", ".xlsm", ".xls"):
            try:
                _read_sheet(path, rows=HEADER_SEARCH_ROWS + 1)
            except Exception:
                return False
            return True
        return False

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        frame = _read_sheet(path)
        model = model_of(path.name, layout_of(list(frame.columns)) or "2021")
        lists = long_lists(frame)
        if lists.empty:
            raise LoadFailed([Problem(file=path.name, message="no statistical neighbour rows")])
        _check_one_full_list_per_la(lists, path.name)
        try:
            SN_SCHEMA.validate(lists.set_index("row", drop=False), lazy=True)
        except pandera.errors.SchemaErrors as errors:  # the index is the file's row number
            raise LoadFailed(
                problems_from_schema_errors(
                    path.name, errors.failure_cases, SN_EXPECTATIONS, first_data_row=0
                )
            ) from None
        unknown = sorted(
            {c for c in pd.concat([lists["la_code"], lists["neighbour_code"]]) if not is_known_la(c)}
        )
        listed = set(lists["la_code"])
        without = sorted(
            {str(c).strip().removesuffix(".0") for c in frame.iloc[:, 0] if str(c).strip()} - listed
        )
        findings = []
        if without:
            findings.append(
                Problem(
                    file=path.name,
                    severity="info",
                    message=f"no neighbours listed for {', '.join(without)} in the {model} model",
                )
            )
        if unknown:
            findings.append(
                Problem(
                    file=path.name,
                    severity="warning",
                    message="LA codes not in the LA list: " + ", ".join(unknown),
                )
            )
        writer.con.execute(TABLES_SQL.read_text())
        writer.execute("delete from sn_groups where model = ?", [model])
        stored = lists.drop(columns="row").assign(model=model, source_file=path.name)
        written = writer.insert_frame("sn_groups", stored)
        return LoadOutcome(kind=self.kind, rows=written, findings=findings)


LOADER = NeighboursLoader()
