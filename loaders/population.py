"""ONS mid-year population estimates of children aged 0-17, in the EES tidy CSV format.

The file gives the denominator of every rate per 10,000 children. Rows are stored in the core
`population` table under their own code: the old 3-digit code for Local authority rows, the
region code (E12...) for Regional rows and the country code (E92000001) for England, so rates can
be set beside regional and national ones. Columns are selected by name (their order differs
between EES files; some start with a byte-order mark) and suppressed estimates are left out,
never read as numbers. The loader recognises the file by its `age_group` and
`population_estimate` columns, so the generic EES loader does not claim it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from loaders.base import IngestContext, LoadOutcome
from loaders.problems import LoadFailed, Problem, problems_from_schema_errors
from loaders.reading import csv_encoding
from loaders.schemas.population import (
    CHILDREN_AGE_GROUP,
    EXPECTATIONS,
    GEOGRAPHIC_LEVELS,
    POPULATION_SCHEMA,
    REQUIRED_COLUMNS,
    SUPPRESSION_SYMBOLS,
)
from loaders.store import Writer

SNIFF_COLUMNS = {"age_group", "population_estimate", "time_period"}


def read_population(path: Path, name: str | None = None) -> tuple[pd.DataFrame, int]:
    """(la_code, year, population_0_17) rows of the 0-17 age group, and the count of suppressed rows."""
    name = name or path.name
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=csv_encoding(path))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"cannot read the file ({type(error).__name__})",
                    expected="an EES population CSV",
                )
            ]
        ) from error
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"missing column {c!r}",
                    expected="the EES population columns " + ", ".join(REQUIRED_COLUMNS),
                )
                for c in missing
            ]
        )
    raw = raw[raw["geographic_level"].isin(GEOGRAPHIC_LEVELS)]
    raw = raw[raw["age_group"].str.strip() == CHILDREN_AGE_GROUP]
    try:
        POPULATION_SCHEMA.validate(raw, lazy=True)
    except pa_errors.SchemaErrors as errors:
        raise LoadFailed(problems_from_schema_errors(name, errors.failure_cases, EXPECTATIONS)) from errors
    if raw.empty:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message="no rows for children aged 0 to 17",
                    expected=f"age_group {CHILDREN_AGE_GROUP!r}",
                )
            ]
        )
    estimate = raw["population_estimate"].str.strip().str.replace(",", "")
    suppressed = estimate.str.lower().isin(SUPPRESSION_SYMBOLS)
    kept = raw[~suppressed]
    code = kept["old_la_code"].where(
        kept["geographic_level"] == "Local authority",
        kept["region_code"].where(kept["geographic_level"] == "Regional", kept["country_code"]),
    )
    rows = pd.DataFrame(
        {
            "la_code": code.str.strip(),
            "year": kept["time_period"].astype(int),
            "population_0_17": estimate[~suppressed].astype(float),
        }
    )
    duplicated = rows.duplicated(["la_code", "year"], keep=False)
    if duplicated.any():
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    row=int(i) + 2,
                    column="population_estimate",
                    message="a second estimate for the same area and year",
                    expected="one row per area and year",
                )
                for i in rows.index[duplicated][:20]
            ]
        )
    return rows.reset_index(drop=True), int(suppressed.sum())


class PopulationLoader:
    kind = "ons_population"
    description = "ONS mid-year population estimates aged 0-17 (EES CSV)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() != ".csv":
            return False
        first_line = head.decode("utf-8-sig", errors="replace").splitlines()[0]
        return {c.strip() for c in first_line.split(",")} >= SNIFF_COLUMNS

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        rows, suppressed = read_population(path)
        rows["source_file"] = path.name
        writer.con.register("_population", rows)
        try:
            writer.execute(
                "delete from population p using _population n where p.la_code = n.la_code and p.year = n.year"
            )
        finally:
            writer.con.unregister("_population")
        written = writer.insert_frame("population", rows)
        findings = []
        if suppressed:
            findings.append(
                Problem(
                    file=path.name,
                    severity="info",
                    column="population_estimate",
                    value=str(suppressed),
                    message="suppressed or unavailable estimates left out (no rate for those areas, years)",
                )
            )
        return LoadOutcome(kind=self.kind, rows=written, la_code=None, findings=findings)


LOADER = PopulationLoader()
