"""ONS mid-year population estimates of children aged 0-17, in the EES tidy CSV format.

The file gives the denominator of every rate per 10,000 children. Rows are stored in the core
`population` table under their own code: the old 3-digit code for Local authority rows, the
region code (E12...) for Regional rows and the country code (E92000001) for England, so rates can
be set beside regional and national ones. Columns are selected by name (their order differs
between EES files; some start with a byte-order mark) and suppressed estimates are left out,
never read as numbers. The loader recognises the file by its `age_group` and
`population_estimate` columns, so the generic EES loader does not claim it.

Several files can give an estimate for the same area and year (the published ONS file, an LA's
own download, a generated one), and a series whose denominator silently changes source jumps (the
demo LA's CLA rate moved from about 80 to 69 per 10,000 where a generated estimate followed the
published one). Every estimate is kept in `population_estimates` with its source kind, and
`population` holds the one chosen by one precedence, whatever order the files came in:
1. la_ons: an ONS mid-year file without a National row (an LA's own extract for its area);
2. published_ons: an ONS file with the National (England) row, as the DfE/EES publish it;
3. generated: a synthetic file (its name says "synthetic", as loaders.synthetic writes it);
4. earlier_load: an estimate stored before sources were recorded.
The rates say which source each value used (metrics.value_notes).
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
SOURCE_PRECEDENCE = ("la_ons", "published_ons", "generated", "earlier_load")
SOURCE_LABELS = {
    "la_ons": "LA's ONS mid-year file",
    "published_ons": "published ONS mid-year estimates",
    "generated": "generated (synthetic) estimates",
    "earlier_load": "estimates loaded before sources were recorded",
}


def source_kind(name: str, geographic_levels: set[str]) -> str:
    """The precedence kind of a population file from its name and the levels it holds."""
    if "synthetic" in name.lower():
        return "generated"
    return "published_ons" if "National" in geographic_levels else "la_ons"


_CHOOSE_SQL = """
insert into population_estimates
select p.la_code, p.year, p.population_0_17, 'earlier_load', p.source_file
from population p
where not exists (select 1 from population_estimates e where e.la_code = p.la_code and e.year = p.year);
delete from population_estimates e using _population n
where e.la_code = n.la_code and e.year = n.year and e.source_kind = n.source_kind;
insert into population_estimates
select la_code, year, population_0_17, source_kind, source_file from _population;
delete from population p using _population n where p.la_code = n.la_code and p.year = n.year;
insert into population
select la_code, year, population_0_17, source_file
from population_estimates e
semi join _population n using (la_code, year)
qualify row_number() over (
    partition by la_code, year order by list_position($precedence::varchar[], source_kind)
) = 1;
"""


def read_population(path: Path, name: str | None = None) -> tuple[pd.DataFrame, int]:
    """(la_code, year, population_0_17, source_kind) rows of the 0-17 age group, and the count of
    suppressed rows."""
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
    rows["source_kind"] = source_kind(name, set(raw["geographic_level"]))
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
            precedence = {"precedence": list(SOURCE_PRECEDENCE)}
            for statement in _CHOOSE_SQL.split(";"):
                if statement.strip():
                    writer.execute(statement, precedence if "$precedence" in statement else None)
        finally:
            writer.con.unregister("_population")
        written = len(rows)
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
