"""The DfE Local Authority Interactive Tool (LAIT): its long data file and its data dictionary.

Why it is shaped this way: LAIT republishes the DfE figures with a longer history (2016 on) in one
long table (`Short Desc` = indicator code, `Years`, `LA Number`, `Values` as text). Only the
indicators the catalogue maps (`lait_code`) are kept. Values are text: '-' is missing (status x),
and float artefacts such as 19.899999999999999 are rounded to the data dictionary's decimal places
when it gives them, otherwise to 6 decimal places (which removes the artefacts and keeps every
published digit). LA Number 970 is England and 980-990 the regions (987/988, Inner and Outer
London, are not DfE regions and are skipped). Values are stored in `benchmark_values` with source
'LAIT'; where EES gives the same figure, EES is preferred (metrics/sql/benchmark_best.sql).

The data dictionary (polarity, dps, No_Quartile) is stored as `lait_dictionary`, so that a
catalogue check can compare polarities and so that a later LAIT load can round to its dps.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors
import pyarrow.parquet as pq

from loaders.base import IngestContext, LoadOutcome, local_authorities
from loaders.ees import BENCHMARK_COLUMNS, ENGLAND, header_columns, replace_benchmark_values
from loaders.problems import LoadFailed, Problem, problems_from_schema_errors
from loaders.reading import csv_encoding
from loaders.schemas.benchmarks import LAIT_COLUMNS, LAIT_EXPECTATIONS, LAIT_SCHEMA
from loaders.store import Writer
from metrics.catalogue import load_catalogue

DICTIONARY_COLUMNS = ("Measure_short", "Polarity", "dps", "No_Quartile")
DEFAULT_DECIMALS = 6
# LAIT's area numbers for England and the DfE regions
LAIT_AREAS = {
    "970": ("National", ENGLAND),
    "980": ("Regional", "E12000001"),
    "981": ("Regional", "E12000002"),
    "982": ("Regional", "E12000003"),
    "983": ("Regional", "E12000004"),
    "984": ("Regional", "E12000005"),
    "985": ("Regional", "E12000006"),
    "986": ("Regional", "E12000007"),
    "989": ("Regional", "E12000008"),
    "990": ("Regional", "E12000009"),
}
SKIPPED_AREAS = ("987", "988")  # London (Inner), London (Outer)


def _columns(path: Path, head: bytes) -> set[str]:
    if path.suffix.lower() == ".parquet":
        try:
            return set(pq.read_schema(path).names)
        except Exception:  # not a readable parquet file: not ours
            return set()
    if path.suffix.lower() == ".csv":
        return header_columns(head)
    return set()


def year_of(years: pd.Series) -> pd.Series:
    """'2024' -> 2024; '2023-24' -> 2024 (the year it ends)."""
    start = years.str[:4].astype(int)
    return start.where(years.str.len() == 4, start + 1)


def round_values(values: pd.Series, decimals: pd.Series) -> pd.Series:
    """Round each value to its decimals (float artefacts removed)."""
    return pd.Series(
        [round(v, int(d)) if pd.notna(v) else np.nan for v, d in zip(values, decimals, strict=True)],
        index=values.index,
        dtype="float64",
    )


class LaitLoader:
    kind = "lait"
    description = "LAIT long data file (bds_long) or LAIT data dictionary (DfE)"

    def sniff(self, path: Path, head: bytes) -> bool:
        columns = _columns(path, head)
        return set(LAIT_COLUMNS) <= columns or set(DICTIONARY_COLUMNS) <= columns

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        if path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=csv_encoding(path))
        frame.columns = [str(c).strip() for c in frame.columns]
        if set(DICTIONARY_COLUMNS) <= set(frame.columns):
            return self._load_dictionary(frame, writer)
        missing = [c for c in LAIT_COLUMNS if c not in frame.columns]
        if missing:
            raise LoadFailed(
                [
                    Problem(
                        file=path.name,
                        message="missing columns " + ", ".join(missing),
                        expected="LAIT columns " + ", ".join(LAIT_COLUMNS),
                    )
                ]
            )
        return self._load_values(frame, path.name, writer)

    def _load_dictionary(self, frame: pd.DataFrame, writer: Writer) -> LoadOutcome:
        text = frame.astype("string").fillna("")
        dictionary = pd.DataFrame(
            {
                "lait_code": text["Measure_short"].str.strip(),
                "name": text["Measure"].str.strip() if "Measure" in text else "",
                "polarity": text["Polarity"].str.strip(),
                "dps": pd.to_numeric(text["dps"], errors="coerce").astype("Int32"),
                "no_quartile": text["No_Quartile"].str.strip().str.upper().isin(["N", "Y", "YES", "TRUE"]),
            }
        )
        dictionary = dictionary[dictionary["lait_code"] != ""].drop_duplicates("lait_code")
        writer.replace_table("lait_dictionary", dictionary)
        return LoadOutcome(kind=self.kind, rows=len(dictionary))

    def _load_values(self, frame: pd.DataFrame, name: str, writer: Writer) -> LoadOutcome:
        codes = {i.lait_code: i for i in load_catalogue() if i.lait_code}
        text = frame[list(LAIT_COLUMNS)].astype("string").fillna("")
        text["Short Desc"] = text["Short Desc"].str.strip()
        wanted = text[text["Short Desc"].isin(list(codes))].copy()
        wanted["LA Number"] = wanted["LA Number"].str.replace(r"\.0$", "", regex=True).str.strip()
        wanted["Values"] = wanted["Values"].str.strip()
        wanted["Years"] = wanted["Years"].str.strip()
        wanted = wanted[~wanted["LA Number"].isin(SKIPPED_AREAS)]
        if wanted.empty:
            return LoadOutcome(
                kind=self.kind,
                rows=0,
                findings=[
                    Problem(
                        file=name,
                        severity="warning",
                        message="none of the catalogue's LAIT codes found; nothing was stored",
                        expected=", ".join(sorted(codes)),
                    )
                ],
            )
        try:
            LAIT_SCHEMA.validate(wanted, lazy=True)
        except pandera.errors.SchemaErrors as errors:
            raise LoadFailed(
                problems_from_schema_errors(
                    name,
                    errors.failure_cases,
                    LAIT_EXPECTATIONS,
                    # a CSV's first data row is line 2; a parquet file's is row 1
                    first_data_row=1 if name.lower().endswith(".parquet") else 2,
                )
            ) from None
        las = local_authorities().set_index("la_code")
        area = wanted["LA Number"].map(lambda code: LAIT_AREAS.get(code, ("Local authority", code)))
        rows = pd.DataFrame(
            {
                "indicator_id": wanted["Short Desc"].map(lambda c: codes[c].id),
                "year": year_of(wanted["Years"]),
                "geographic_level": [level for level, _ in area],
                "area_code": [code for _, code in area],
                "area_name": wanted["LA and Regions"].str.strip(),
            },
            index=wanted.index,
        )
        is_la = rows["geographic_level"] == "Local authority"
        rows["region_code"] = np.where(
            is_la,
            rows["area_code"].map(las["region_code"]).fillna(""),
            np.where(rows["geographic_level"] == "Regional", rows["area_code"], ""),
        )
        decimals = self._decimals(writer, wanted["Short Desc"])
        numbers = pd.to_numeric(wanted["Values"].where(wanted["Values"] != "-"), errors="coerce")
        rows["value"] = round_values(numbers, decimals)
        rows["numerator"] = np.nan
        rows["denominator"] = np.nan
        rows["status"] = np.where(rows["value"].isna(), "x", "")
        rows["method"] = "published"
        rows["source"] = "LAIT"
        rows["source_file"] = name
        unknown = sorted(set(rows.loc[is_la, "area_code"]) - set(las.index))
        findings = []
        if unknown:
            findings.append(
                Problem(
                    file=name,
                    severity="warning",
                    column="LA Number",
                    message="LA numbers not in the LA list: " + ", ".join(unknown),
                )
            )
        rows = rows.drop_duplicates(["indicator_id", "year", "area_code"])
        written = replace_benchmark_values(writer, rows[BENCHMARK_COLUMNS])
        return LoadOutcome(kind=self.kind, rows=written, findings=findings)

    def _decimals(self, writer: Writer, codes: pd.Series) -> pd.Series:
        """The dictionary's dps per row where the dictionary is loaded and gives one, else 6."""
        if not writer.has_table("lait_dictionary"):
            return pd.Series(DEFAULT_DECIMALS, index=codes.index)
        dictionary = writer.query("select lait_code, dps from lait_dictionary where dps is not null")
        dps = dict(zip(dictionary["lait_code"], dictionary["dps"].astype(int), strict=True))
        return codes.map(dps).fillna(DEFAULT_DECIMALS).astype(int)


LOADER = LaitLoader()
