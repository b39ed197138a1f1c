"""Explore Education Statistics (EES) tidy CSVs: the DfE's published LA, region and England figures.

Why it is shaped this way: EES files change between releases (column order, year range, extra
columns, a UTF-8 byte order mark), so nothing here depends on a file's name or column positions.
Every column is selected by name, and which catalogue indicators a file publishes is decided by
its columns and breakdown values, matched against the `ees` table of each indicator in
metrics/catalogue.toml. A file of a listed kind from an unseen release therefore loads without code
changes, and a file with an unexpected shape is refused with the columns it lacks.

Suppression symbols (c, k, low, u, x, z) are kept as a status and never become numbers. Values are
stored in `benchmark_values` with source 'EES'; the LA's own monthly KPI values (kpi_history) are
never touched. The ONS population file is not read here (loaders.population owns it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors

from loaders.base import IngestContext, LoadOutcome, local_authorities
from loaders.problems import LoadFailed, Problem, problems_from_schema_errors
from loaders.reading import csv_encoding
from loaders.schemas.benchmarks import (
    EES_AREA_COLUMNS,
    EES_EXPECTATIONS,
    EES_LEVELS,
    EES_SYMBOLS,
    LA_CODE_SCHEMA,
    MEASURE_EXPECTATION,
    ees_schema,
)
from loaders.store import Writer
from metrics.catalogue import EesSource, Indicator, load_catalogue

TABLES_SQL = Path(__file__).resolve().parent / "sql" / "benchmark_tables.sql"
ENGLAND = "E92000001"
PERCENT_OF_COUNTS = "percent of published counts"
PER_10K_POPULATION = "per 10,000 children (ONS mid-year population)"
POPULATION_COLUMNS = {"age_group", "population_estimate"}
# Published EES files the dashboard knows and does not read (accepted with nothing stored, so that a
# whole EES folder can be loaded); any other file publishing none of the catalogue's indicators is
# refused with the columns it lacks.
UNUSED_EES_FILES = ("d5_cpps_at31march_by_duration",)
BENCHMARK_COLUMNS = [
    "indicator_id",
    "year",
    "geographic_level",
    "area_code",
    "area_name",
    "region_code",
    "value",
    "numerator",
    "denominator",
    "status",
    "method",
    "source",
    "source_file",
]


@dataclass(frozen=True)
class Publication:
    """One catalogue indicator as an EES file publishes it."""

    indicator: Indicator
    source: EesSource

    @property
    def filter_columns(self) -> set[str]:
        return set(self.source.filters) | set(self.source.denominator_filters)

    @property
    def measure_columns(self) -> list[str]:
        names = [self.source.value, *self.source.numerator_parts, self.source.denominator]
        return list(dict.fromkeys(n for n in names if n))

    @property
    def required_columns(self) -> set[str]:
        return self.filter_columns | set(self.measure_columns)


def publications() -> list[Publication]:
    return [Publication(i, i.ees) for i in load_catalogue() if i.ees is not None]


def header_columns(head: bytes) -> set[str]:
    """Column names on the first line of a CSV (BOM and surrounding spaces removed)."""
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    return {c.strip() for c in next(csv.reader(io.StringIO(first_line)), [])}


def is_population_file(columns: set[str]) -> bool:
    """The ONS mid-year population file (read by loaders.population, not here)."""
    return columns >= POPULATION_COLUMNS


def ensure_tables(writer: Writer) -> None:
    writer.con.execute(TABLES_SQL.read_text())


def replace_benchmark_values(writer: Writer, rows: pd.DataFrame) -> int:
    """Store published values, replacing earlier ones for the same indicator, year, area and source."""
    ensure_tables(writer)
    if rows.empty:
        return 0
    frame = rows[BENCHMARK_COLUMNS].copy()
    frame["year"] = frame["year"].astype("int32")
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    writer.con.register("_replacing", frame)
    try:
        writer.execute(
            "delete from benchmark_values v using (select distinct indicator_id, year, area_code, "
            "source from _replacing) r where v.indicator_id = r.indicator_id and v.year = r.year "
            "and v.area_code = r.area_code and v.source = r.source"
        )
    finally:
        writer.con.unregister("_replacing")
    return writer.insert_frame("benchmark_values", frame)


def parse_numbers(column: pd.Series) -> pd.Series:
    """Numbers as floats; symbols and blanks as missing (never as numbers)."""
    return pd.to_numeric(column.where(~column.isin(EES_SYMBOLS + ("",))), errors="coerce")


def parse_status(column: pd.Series) -> pd.Series:
    """The published symbol, 'x' for a blank cell, '' for a number."""
    status = column.where(column.isin(EES_SYMBOLS), "")
    return status.where(column != "", "x")


def year_of(time_period: pd.Series) -> pd.Series:
    """time_period 2024 -> 2024; a span 202324 -> 2024 (the year it ends)."""
    start = time_period.str[:4].astype(int)
    return start.where(time_period.str.len() == 4, start + 1)


class EesLoader:
    kind = "ees"
    description = "EES tidy CSV of published LA, region and England figures (DfE)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() != ".csv":
            return False
        columns = header_columns(head)
        return {"time_period", "geographic_level", "old_la_code"} <= columns and not is_population_file(
            columns
        )

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        name = path.name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=csv_encoding(path))
        frame.columns = [str(c).strip() for c in frame.columns]
        columns = set(frame.columns)
        missing_area = [c for c in EES_AREA_COLUMNS if c not in columns]
        if missing_area:
            raise LoadFailed(
                [
                    Problem(
                        file=name,
                        message="not an EES tidy file: missing columns " + ", ".join(missing_area),
                        expected="the EES columns " + ", ".join(EES_AREA_COLUMNS),
                    )
                ]
            )
        if frame.empty:
            raise LoadFailed(
                [
                    Problem(
                        file=name,
                        message="no rows: the file has a header line and nothing under it",
                        expected="the EES file as downloaded, with its data rows",
                    )
                ]
            )
        if is_population_file(columns):
            raise LoadFailed(
                [
                    Problem(
                        file=name,
                        message="this is the ONS population file",
                        expected="load it as kind 'ons_population'",
                    )
                ]
            )
        found, findings = self._publications_in(frame, name)
        self._validate(frame, found, name)
        if not found:
            return LoadOutcome(kind=self.kind, rows=0, findings=findings)
        rows = area_rows(frame)
        values = pd.concat(
            [indicator_rows(rows, publication, name) for publication in found], ignore_index=True
        )
        duplicated = values.duplicated(["indicator_id", "year", "area_code"])
        if duplicated.any():
            findings.append(
                Problem(
                    file=name,
                    severity="warning",
                    message=f"{int(duplicated.sum())} rows repeat an indicator, year and area; "
                    "the first was kept",
                    expected="one row per year and area for each breakdown",
                )
            )
            values = values[~duplicated]
        is_la = values["geographic_level"] == "Local authority"
        unknown = sorted(set(values.loc[is_la, "area_code"]) - set(local_authorities()["la_code"]))
        if unknown:
            findings.append(
                Problem(
                    file=name,
                    severity="warning",
                    column="old_la_code",
                    message="LA codes not in the LA list (stored, but not compared): " + ", ".join(unknown),
                )
            )
        written = replace_benchmark_values(writer, values)
        return LoadOutcome(kind=self.kind, rows=written, findings=findings)

    def _publications_in(self, frame: pd.DataFrame, name: str) -> tuple[list[Publication], list[Problem]]:
        """The catalogue indicators this file publishes; refuse the file when there are none."""
        columns = set(frame.columns)
        found: list[Publication] = []
        findings: list[Problem] = []
        for publication in publications():
            if not publication.required_columns <= columns:
                continue
            missing_values = [
                f"{column} = {value!r}"
                for column, value in {
                    **publication.source.filters,
                    **publication.source.denominator_filters,
                }.items()
                if not (frame[column] == value).any()
            ]
            if missing_values:
                if name.lower().startswith(publication.source.file.lower()):
                    findings.append(
                        Problem(
                            file=name,
                            severity="warning",
                            message=f"no rows for {publication.indicator.id}: "
                            + ", ".join(missing_values)
                            + " not found",
                        )
                    )
                continue
            found.append(publication)
        if found:
            return found, findings
        if not name.lower().startswith(UNUSED_EES_FILES):
            raise LoadFailed([_shape_problem(name, columns)])
        findings.append(
            Problem(
                file=name,
                severity="info",
                message="a DfE file none of the dashboard's indicators is published in; nothing was stored",
            )
        )
        return [], findings

    def _validate(self, frame: pd.DataFrame, found: list[Publication], name: str) -> None:
        measures = list(dict.fromkeys(c for p in found for c in p.measure_columns))
        problems: list[Problem] = []
        expectations = {**EES_EXPECTATIONS, **{c: MEASURE_EXPECTATION for c in measures}}
        try:
            ees_schema(measures).validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as errors:
            problems.extend(problems_from_schema_errors(name, errors.failure_cases, expectations))
        la_rows = frame[frame["geographic_level"] == "Local authority"]
        try:
            LA_CODE_SCHEMA.validate(la_rows, lazy=True)
        except pandera.errors.SchemaErrors as errors:
            problems.extend(problems_from_schema_errors(name, errors.failure_cases, expectations))
        if problems:
            raise LoadFailed(problems)


def _shape_problem(name: str, columns: set[str]) -> Problem:
    """Name the columns missing for the kind of file this most looks like."""
    known = publications()
    candidates = [p for p in known if name.lower().startswith(p.source.file.lower())]
    if not candidates:
        overlap = [len(set(p.measure_columns) & columns) for p in known]
        best = max(overlap, default=0)
        candidates = [p for p, n in zip(known, overlap, strict=True) if best and n == best]
    if not candidates:
        return Problem(
            file=name,
            message="an EES file with none of the measures the dashboard reads",
            expected="one of the files listed in metrics/catalogue.toml, e.g. "
            + ", ".join(sorted({p.source.file for p in known})),
        )
    best_kind = min(candidates, key=lambda p: len(p.required_columns - columns))
    missing = sorted(best_kind.required_columns - columns)
    if not missing:
        wanted = {**best_kind.source.filters, **best_kind.source.denominator_filters}
        return Problem(
            file=name,
            message=f"no rows with the breakdown {best_kind.source.file} publishes",
            expected=", ".join(f"{column} = {value!r}" for column, value in wanted.items()),
        )
    return Problem(
        file=name,
        message="missing columns " + ", ".join(missing) + f" (as a {best_kind.source.file} file)",
        expected="columns " + ", ".join(sorted(best_kind.required_columns)),
    )


def area_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """National, regional and LA rows with year, area code and name (other levels are dropped)."""
    rows = frame[frame["geographic_level"].isin(list(EES_LEVELS))].copy()
    level = rows["geographic_level"]
    country = rows.get("country_code", pd.Series(ENGLAND, index=rows.index))
    rows["year"] = year_of(rows["time_period"])
    rows["area_code"] = np.select(
        [level == "National", level == "Regional"],
        [country.replace("", ENGLAND), rows["region_code"]],
        rows["old_la_code"],
    )
    country_name = rows.get("country_name", pd.Series("England", index=rows.index))
    rows["area_name"] = np.select(
        [level == "National", level == "Regional"], [country_name, rows["region_name"]], rows["la_name"]
    )
    rows["region_code"] = rows["region_code"].where(level != "National", "")
    # a joint return (e.g. "314 / 318") is published once for all its LAs: give each LA the figure
    rows["joint_return"] = rows["area_code"].where(rows["area_code"].str.contains("/"), "")
    rows["area_code"] = rows["area_code"].str.split("/")
    rows = rows.explode("area_code")
    rows["area_code"] = rows["area_code"].str.strip()
    return rows[rows["area_code"] != ""].reset_index(drop=True)


def _matching(rows: pd.DataFrame, filters: dict[str, str]) -> pd.DataFrame:
    mask = pd.Series(True, index=rows.index)
    for column, value in filters.items():
        mask &= rows[column] == value
    return rows[mask]


def indicator_rows(rows: pd.DataFrame, publication: Publication, file_name: str) -> pd.DataFrame:
    """benchmark_values rows for one indicator: value and status, numerator and denominator."""
    source, indicator = publication.source, publication.indicator
    chosen = _matching(rows, source.filters).copy()
    parts = list(source.numerator_parts)
    numerator = chosen[parts].apply(parse_numbers).sum(axis=1, min_count=len(parts)) if parts else np.nan
    chosen["numerator"] = numerator
    part_status = _first_symbol(chosen, parts)
    if source.denominator and source.denominator_filters:
        totals = _matching(rows, {**source.filters, **source.denominator_filters})
        totals = totals.drop_duplicates(["year", "area_code"]).set_index(["year", "area_code"])
        keys = pd.MultiIndex.from_frame(chosen[["year", "area_code"]])
        raw = totals[source.denominator].reindex(keys).fillna("x")
        chosen["denominator_text"] = raw.to_numpy()
    elif source.denominator:
        chosen["denominator_text"] = chosen[source.denominator]
    else:
        chosen["denominator_text"] = "x"
    chosen["denominator"] = parse_numbers(chosen["denominator_text"]) if source.denominator else np.nan
    method = "published"
    if source.derived == "percent":
        method = PERCENT_OF_COUNTS
        denominator_status = parse_status(chosen["denominator_text"])
        usable = chosen["numerator"].notna() & (chosen["denominator"] > 0)
        chosen["value"] = (
            (chosen["numerator"] / chosen["denominator"] * 100).round(indicator.decimal_places).where(usable)
        )
        chosen["status"] = np.where(
            usable,
            "",
            np.where(
                part_status != "", part_status, np.where(denominator_status != "", denominator_status, "z")
            ),
        )
    elif source.derived == "per_10k_population":
        method = PER_10K_POPULATION
        chosen["value"] = np.nan
        chosen["status"] = part_status
    else:
        chosen["value"] = parse_numbers(chosen[source.value])
        chosen["status"] = parse_status(chosen[source.value])
    chosen["indicator_id"] = indicator.id
    chosen["method"] = np.where(
        chosen["joint_return"] != "", method + " (joint return " + chosen["joint_return"] + ")", method
    )
    chosen["source"] = "EES"
    chosen["source_file"] = file_name
    return chosen[BENCHMARK_COLUMNS].reset_index(drop=True)


def _first_symbol(rows: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Per row, the first suppression symbol among `columns` ('' when all are numbers)."""
    status = pd.Series("", index=rows.index)
    for column in reversed(columns):
        symbol = parse_status(rows[column])
        status = symbol.where(symbol != "", status)
    return status.to_numpy()


LOADER = EesLoader()
