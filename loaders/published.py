"""The shipped published benchmarks: a compact, derived copy of the DfE figures the catalogue uses.

Why it is shaped this way: a fresh clone has no ../shared/data, yet the dashboard should compare an
LA with its statistical neighbours, region and England from the first minute. `build` reads the
published originals (EES tidy CSVs with the ONS population, the LAIT long file and its dictionary,
both statistical neighbour models) through the project's own loaders into a scratch store, and
writes two small parquet files to data/published/ (committed; the originals are not):

- `benchmarks.parquet`: `benchmark_best` (one value per indicator, year and area, EES preferred to
  LAIT; rates per 10,000 already computed with the real ONS population, so they are marked as such
  and not recomputed against a store's own population), in the `benchmark_values` shape;
- `neighbours.parquet`: `sn_groups` for the 2021 and May 2025 models, with closeness bands.

Each file carries its role in the parquet metadata (key `csc.published`), which is how the
loader below recognises it (kind `published`). Loading replaces the same indicator, year and area
rows (benchmarks) or the same models' lists (neighbours), as the original files' loaders do.
The data is Crown copyright under the Open Government Licence v3.0 (data/published/ATTRIBUTION.md).

Rebuild: `python -m loaders.published [SHARED_DATA_FOLDER]` (default ../shared/data).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.base import IngestContext, LoadOutcome
from loaders.ees import BENCHMARK_COLUMNS, PER_10K_POPULATION, ensure_tables, replace_benchmark_values
from loaders.problems import LoadFailed, Problem
from loaders.store import Writer

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED_DIR = ROOT / "data" / "published"
BENCHMARKS_FILE = PUBLISHED_DIR / "benchmarks.parquet"
NEIGHBOURS_FILE = PUBLISHED_DIR / "neighbours.parquet"
METADATA_KEY = b"csc.published"
SN_COLUMNS = ["model", "la_code", "neighbour_rank", "neighbour_code", "closeness", "source_file"]
# rates per 10,000 computed at build time with the ONS population: kept as they are on load
PER_10K_BUILT = "per 10,000 children (ONS mid-year population, at build)"
SHARED_DATA = ROOT.parent / "shared" / "data"
ATTRIBUTION_FILE = PUBLISHED_DIR / "ATTRIBUTION.md"
OGL = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
# source file name prefix -> (publisher, release); the release is identified by its latest year
RELEASES: dict[str, tuple[str, str]] = {
    "b1_": ("DfE, Explore Education Statistics", "Children in need"),
    "c1_": ("DfE, Explore Education Statistics", "Children in need"),
    "c2_": ("DfE, Explore Education Statistics", "Children in need"),
    "c4_": ("DfE, Explore Education Statistics", "Children in need"),
    "d1_": ("DfE, Explore Education Statistics", "Children in need"),
    "d3_": ("DfE, Explore Education Statistics", "Children in need"),
    "d6_": ("DfE, Explore Education Statistics", "Children in need"),
    "cla_": ("DfE, Explore Education Statistics", "Children looked after in England including adoptions"),
    "la_c": ("DfE, Explore Education Statistics", "Children looked after in England including adoptions"),
    "csww_": ("DfE, Explore Education Statistics", "Children's social work workforce"),
    "bds_long": ("DfE", "Local Authority Interactive Tool (LAIT)"),
    "New_Statistical_Neighbour": (
        "DfE / NFER",
        "Children's services statistical neighbour benchmarking tool, April 2021",
    ),
    "sn_model_2025": ("DfE / NFER", "Children's services statistical neighbour benchmarking tool, May 2025"),
}
ATTRIBUTION = (
    "Published figures: Crown copyright, Department for Education (Explore Education Statistics: "
    "Children in need; Children looked after in England including adoptions; Children's social "
    "work workforce; the Local Authority Interactive Tool; the statistical neighbour benchmarking "
    f"tool, 2021 and May 2025 models), with ONS population estimates. Licensed under the {OGL}."
)


def release_of(source_file: str) -> tuple[str, str]:
    """(publisher, release) of a published source file, from its name."""
    for prefix, release in RELEASES.items():
        if source_file.startswith(prefix):
            return release
    return ("", source_file)


def _role(path: Path) -> str | None:
    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception:  # not a readable parquet file: not ours
        return None
    role = metadata.get(METADATA_KEY)
    return role.decode() if role else None


class PublishedLoader:
    kind = "published"
    description = "the shipped published benchmarks (data/published/*.parquet)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".parquet" and _role(path) in ("benchmarks", "neighbours")

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        role = _role(path)
        frame = pd.read_parquet(path)
        ensure_tables(writer)
        if role == "benchmarks":
            written = replace_benchmark_values(writer, frame[BENCHMARK_COLUMNS])
        elif role == "neighbours":
            for model in sorted(frame["model"].unique()):
                writer.execute("delete from sn_groups where model = ?", [model])
            written = writer.insert_frame("sn_groups", frame[SN_COLUMNS])
        else:
            raise LoadFailed([Problem(file=path.name, message="not a published benchmarks file")])
        return LoadOutcome(kind=self.kind, rows=written)


LOADER = PublishedLoader()


def source_files(shared: Path) -> list[Path]:
    """The originals the build reads, in load order (LAIT dictionary before its values)."""
    ees = sorted((shared / "benchmarks" / "ees").glob("*.csv"))
    lait = [shared / "benchmarks" / "lait" / n for n in ("lait_data_dictionary.csv", "bds_long_0.parquet")]
    sn = [
        shared / "statistical_neighbours" / n
        for n in ("New_Statistical_Neighbour_Groupings_April_2021.csv", "sn_model_2025_wide.csv")
    ]
    return lait + ees + sn


def _write(frame: pd.DataFrame, path: Path, role: str) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), METADATA_KEY: role.encode()})
    pq.write_table(table, path, compression="zstd")


def _refresh(writer: Writer, context: IngestContext) -> None:
    from metrics.benchmarks import refresh_benchmark_summary

    refresh_benchmark_summary(writer)


def build(shared: Path = SHARED_DATA, out: Path = PUBLISHED_DIR) -> tuple[Path, Path]:
    """Read the originals in `shared` and write benchmarks.parquet and neighbours.parquet to `out`."""
    from loaders.ingest import ingest

    files = source_files(shared)
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise FileNotFoundError("published files not found: " + ", ".join(missing))
    scratch = Path(tempfile.mkdtemp(prefix="published-build-"))
    try:
        db = scratch / "build.duckdb"
        report = ingest(files, db=db, derive=_refresh)
        if not report.ok:
            raise RuntimeError("; ".join(report.messages))
        with duckdb.connect(str(db), read_only=True) as con:
            best = con.execute("select * from benchmark_best").df()
            groups = con.execute("select * from sn_groups order by model, la_code, neighbour_rank").df()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    best["method"] = best["method"].where(best["method"] != PER_10K_POPULATION, PER_10K_BUILT)
    best = best[BENCHMARK_COLUMNS].sort_values(["indicator_id", "year", "area_code"]).reset_index(drop=True)
    best["year"] = best["year"].astype("int32")
    out.mkdir(parents=True, exist_ok=True)
    _write(best, out / BENCHMARKS_FILE.name, "benchmarks")
    _write(groups[SN_COLUMNS].astype({"neighbour_rank": "int32"}), out / NEIGHBOURS_FILE.name, "neighbours")
    (out / ATTRIBUTION_FILE.name).write_text(attribution_text(best, groups), encoding="utf-8")
    return out / BENCHMARKS_FILE.name, out / NEIGHBOURS_FILE.name


def sources_table(best: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """One row per original file: publisher, release, file, indicators and years it gives."""
    rows = []
    for name, part in best.groupby("source_file"):
        publisher, release = release_of(str(name))
        years = f"{part['year'].min()}-{part['year'].max()}"
        rows.append([publisher, release, name, part["indicator_id"].nunique(), years])
    for name, part in groups.groupby("source_file"):
        publisher, release = release_of(str(name))
        rows.append([publisher, release, name, 0, f"model {', '.join(sorted(part['model'].unique()))}"])
    return pd.DataFrame(rows, columns=["publisher", "release", "file", "indicators", "years"])


def attribution_text(best: pd.DataFrame, groups: pd.DataFrame) -> str:
    table = sources_table(best, groups)
    lines = [
        "# Published benchmarks: source and licence",
        "",
        ATTRIBUTION,
        f"Licence: {OGL_URL}",
        "",
        "benchmarks.parquet and neighbours.parquet are derived (selected, reshaped, rates per 10,000",
        "computed with the ONS mid-year population) from the files below by `python -m loaders.published`.",
        "Years are published years (2025 = year ending 31 March 2025; workforce: 30 September 2025);",
        "each release is named by its latest year.",
        "",
        "| publisher | release | file | indicators | years |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    shared = Path(argv[0]) if argv else SHARED_DATA
    paths = build(shared)
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1024:.0f} KB" for p in paths)
    print(f"built {sizes} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
