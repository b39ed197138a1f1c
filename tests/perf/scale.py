"""Scale benchmark: national-size data through the real loaders and measures, against the pandas
reference, with the numbers that matter. Not part of the test run.

    .venv/bin/python -m tests.perf.scale --las 20 --years 10 [--size small] [--work DIR]
        [--seed 1] [--end 2026-10-31] [--reference-las N] [--results tests/perf/results.md]

Phases, each in a fresh process so its peak memory (max RSS) is its own:
1. generate   synthetic returns for N LAs x Y years (loaders.synthetic; streamed per LA)
2. ingest     every LA's files as extracted at the previous month end, in one batch (no recompute)
3. recompute  full recompute of every measure for every LA and month end (+ benchmark refresh)
4. increment  this month's files (the current year's 903 tables and CIN census re-extracted, the
              new caseload list) ingested, and the incremental recompute that follows
5. export     one indicator for every LA, as the export CSV
6. reference  the plain-pandas reference implementations on the same tables, timed, and checked
              row by row against the DuckDB results (identical numerators, denominators, status;
              values equal to 1e-9). With --reference-las the reference runs on that many LAs only
              and the ratio compares like with like (DuckDB timed on the same LAs).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.perf.as_of import cin_as_of, ssda903_as_of  # noqa: E402

KEY = ["la_code", "indicator_id", "period_end", "period_type"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run `function(*args)` in a fresh process; its result plus that process's peak memory."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_measured, (function, *args))


def _measured(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    result = function(*args)
    result["peak_mb"] = peak_mb()
    return result


# ---------------------------------------------------------------- phases (run in children)

def phase_generate(out: str, las: int, years: int, seed: int, size: str, end: date) -> dict[str, Any]:
    from loaders.synthetic import generate

    started = time.perf_counter()
    report = generate(out, las=las, years=years, seed=seed, size=size, end=end)
    files = {
        la.la_code: {
            "ssda903": [str(p) for p in la.ssda903_files],
            "cin": [str(p) for p in la.cin_files],
            "caseload": [str(p) for p in la.caseload_files],
        }
        for la in report.las
    }
    return {
        "seconds": time.perf_counter() - started,
        "files": files,
        "population": str(report.population_file),
        "children_looked_after": sum(la.children_looked_after for la in report.las),
        "referrals": sum(la.referrals for la in report.las),
        "bytes": sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file()),
    }


def phase_ingest(db: str, paths: list[str], la_codes: dict[str, str], recompute: bool,
                 extracted: date) -> dict[str, Any]:
    """Load `paths` as one batch on the day after `extracted` (so an in-year 903 extract covers the
    months to `extracted`, as it would when loaded promptly)."""
    import logging

    from loaders.ingest import ingest
    from metrics import compute

    logging.basicConfig(level=logging.WARNING)
    timings: dict[str, Any] = {}

    def timed_recompute(writer: Any, context: Any) -> None:
        started = time.perf_counter()
        redone = compute.recompute(writer, context)
        timings["recompute"] = time.perf_counter() - started
        if redone is not None:
            parts = []
            for family, rows in redone.groupby("family"):
                months = rows["from_date"].value_counts().sort_index()
                parts.append(f"{family} {len(rows)} LAs from " + ", ".join(
                    f"{day:%b %Y} ({count})" for day, count in months.items()))
            timings["scope"] = f"{redone['la_code'].nunique()} LAs redone: " + "; ".join(parts)

    started = time.perf_counter()
    report = ingest(paths, db=db, file_la_codes=la_codes, derive=timed_recompute if recompute else None,
                    today=extracted + timedelta(days=1))
    seconds = time.perf_counter() - started
    if not report.ok:
        raise RuntimeError("ingest failed:\n" + "\n".join(report.messages[:20]))
    rows = sum(f.rows for f in report.files)
    return {"seconds": seconds, "rows": rows, "recompute": timings.get("recompute"),
            "scope": timings.get("scope", "everything redone"), "files": len(report.files)}


def phase_full_recompute(db: str) -> dict[str, Any]:
    from loaders.base import IngestContext
    from loaders.store import write_session
    from metrics import compute, scope

    with write_session(db) as writer:
        scope.forget(writer)
        context = IngestContext(batch_id="benchmark-full", version=10**6, today=date.today())
        started = time.perf_counter()
        measures = compute.compute_all(writer)
        compute_seconds = time.perf_counter() - started
        started = time.perf_counter()
        compute.recompute(writer, context)
        recompute_seconds = time.perf_counter() - started
    return {"compute_seconds": compute_seconds, "recompute_seconds": recompute_seconds,
            "kpi_rows": len(measures), "las": int(measures["la_code"].nunique()) if len(measures) else 0,
            "month_ends": int(measures["period_end"].nunique()) if len(measures) else 0}


def phase_export(db: str, out: str) -> dict[str, Any]:
    from loaders.store import Reader
    from metrics.export import export_frame, to_csv_bytes

    started = time.perf_counter()
    frame = export_frame(Reader(db), None, indicators=["placements_3plus"])
    Path(out).write_bytes(to_csv_bytes(frame))
    return {"seconds": time.perf_counter() - started, "rows": len(frame),
            "las": int(frame["la_code"].nunique())}


REFERENCE_TABLES = (
    "ssda903_episodes", "ssda903_header", "ssda903_oc3", "ssda903_coverage", "population",
    "cin_census_returns", "cin_referrals", "cin_assessments", "cin_section47", "cin_cp_plans",
    "cin_cp_reviews", "caseload_workers",
)


def timed_each(runs: dict[str, Callable[[], Any]]) -> tuple[dict[str, Any], dict[str, float]]:
    """Each run's result and its seconds, by name, one after another."""
    results: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for name, run_one in runs.items():
        started = time.perf_counter()
        results[name] = run_one()
        seconds[name] = time.perf_counter() - started
    return results, seconds


def phase_reference(db: str, las: list[str]) -> dict[str, Any]:
    """Both engines on the same LAs' tables; times and a row-by-row comparison."""
    import duckdb
    import pandas as pd

    from loaders.store import Writer
    from metrics import compute
    from metrics.caseload import caseload_average, load_standards
    from metrics.reference import care_leavers, caseload, child_protection, front_door, placements

    source = duckdb.connect(db, read_only=True)
    subset = duckdb.connect()  # the chosen LAs' input tables, in memory, for both engines
    tables: dict[str, pd.DataFrame] = {}
    for name in REFERENCE_TABLES:
        frame = source.execute(f"select * from {name} where la_code in (select unnest($las))",
                               {"las": las}).df()
        tables[name] = frame
        subset.register("_frame", frame)
        subset.execute(f"create table {name} as select * from _frame")
        subset.unregister("_frame")
    source.close()
    subset.execute((ROOT / "loaders" / "sql" / "schema.sql").read_text())

    # each family timed on its own in both engines (the same modules compute_all runs)
    store = Writer(con=subset, path=Path(db))
    duck_frames, duck_family_seconds = timed_each(
        {module.__name__.rsplit(".", 1)[1]: partial(module.compute, store) for module in compute.families()})
    duck = pd.concat([f for f in duck_frames.values() if not f.empty], ignore_index=True)
    duck_seconds = sum(duck_family_seconds.values())

    standards = load_standards()
    results, reference_family_seconds = timed_each({
        "caseload": lambda: caseload_average(
            caseload.caseload_breakdown_reference(tables["caseload_workers"], standards)),
        "child_protection": lambda: child_protection.compute(tables),
        "front_door": lambda: (front_door.compute(tables), front_door.children_in_need_counts(tables)),
        "placements": lambda: placements.compute(tables),
        "care_leavers": lambda: care_leavers.compute(tables),
    })
    front_door_rows, cin_counts = results.pop("front_door")
    parts = [*results.values(), front_door_rows]
    reference_seconds = sum(reference_family_seconds.values())
    # the counts behind cp_rate come from the same snapshots compute() already made: not timed twice
    snapshots = child_protection.child_protection_snapshots(tables)
    counts = {
        "cin_rate": cin_counts,
        "cp_rate": snapshots.rename(columns={"children_on_plan": "count"})[
            ["la_code", "period_end", "count"]
        ],
    }

    reference = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    for indicator, frame in counts.items():
        reference = pd.concat([reference, frame.assign(
            indicator_id=indicator, period_type="snapshot", numerator=frame["count"])], ignore_index=True)
    comparison = compare(duck, reference)
    families = {name: (reference_family_seconds[name], duck_family_seconds[name])
                for name in duck_family_seconds}
    return {"duck_seconds": duck_seconds, "reference_seconds": reference_seconds,
            "families": families, **comparison}


def compare(duck: Any, reference: Any) -> dict[str, Any]:
    """Rows the reference produced, matched to the DuckDB rows by key; counts of any difference."""
    import numpy as np
    import pandas as pd

    def normalised(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
        return frame

    duck, reference = normalised(duck), normalised(reference)
    merged = reference.merge(duck, on=KEY, how="left", suffixes=("_ref", "_duck"), indicator=True)
    missing = int((merged["_merge"] == "left_only").sum())
    rate = merged["indicator_id"].isin(["cin_rate", "cp_rate"])
    numerator = ~np.isclose(merged["numerator_ref"], merged["numerator_duck"], equal_nan=True)
    denominator = (~rate) & ~np.isclose(merged["denominator_ref"], merged["denominator_duck"],
                                        equal_nan=True)
    value = (~rate) & ~np.isclose(merged["value_ref"], merged["value_duck"], rtol=0, atol=1e-9,
                                  equal_nan=True)
    status = (~rate) & (merged["status_ref"].fillna("") != merged["status_duck"].fillna(""))
    differing = merged[(numerator | denominator | value | status) & (merged["_merge"] == "both")]
    return {
        "compared_rows": len(merged),
        "missing_in_duckdb": missing,
        "differing_rows": len(differing),
        "differences": differing.head(10).to_dict("records"),
        "indicators_compared": sorted(merged["indicator_id"].unique()),
    }


# ---------------------------------------------------------------- orchestration

def previous_month_end(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


def split_current_year(generated: dict[str, Any], end: date, as_of_dir: Path) -> tuple[
        list[str], list[str], dict[str, str]]:
    """Baseline files (current year cut back a month) and this month's files, with their LAs."""
    cut = previous_month_end(end)
    year = end.year + 1 if end.month >= 4 else end.year
    baseline: list[str] = []
    increment: list[str] = []
    la_codes: dict[str, str] = {}
    for la_code, files in generated["files"].items():
        # the current year's returns: 903 files are named by the year's start, CIN by its end
        current = [(p, ssda903_as_of) for p in files["ssda903"] if Path(p).name.startswith(f"{year - 1}-")]
        current += [(p, cin_as_of) for p in files["cin"] if Path(p).name == f"cin-{year}.xml"]
        cut_back = dict(current)
        for path in files["ssda903"] + files["cin"]:
            la_codes[path] = la_code
            if path not in cut_back:
                baseline.append(path)
                continue
            cut_path = as_of_dir / la_code / Path(path).name
            cut_back[path](Path(path), cut_path, cut)
            la_codes[str(cut_path)] = la_code
            baseline.append(str(cut_path))
            increment.append(path)
        for path in files["caseload"]:
            la_codes[path] = la_code
            (increment if Path(path).stem.endswith(end.isoformat()) else baseline).append(path)
    baseline.append(generated["population"])
    return baseline, increment, la_codes


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GiB RAM"
    import duckdb
    import pandas

    return (f"{multiprocessing.cpu_count()} cores ({cpu}){memory}; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}, duckdb {duckdb.__version__}, "
            f"pandas {pandas.__version__}")


def run(args: argparse.Namespace) -> str:
    work = args.work / f"{args.las}x{args.years}"
    manifest = work / "files" / "manifest.json"
    reuse = args.reuse and manifest.exists()
    if work.exists():
        for leftover in work.iterdir():
            if not (reuse and leftover.name == "files"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    work.mkdir(parents=True, exist_ok=True)
    db = str(work / "store.duckdb")
    lines = [f"## {args.las} LA(s) x {args.years} years (size {args.size}, seed {args.seed}, "
             f"to {args.end})", ""]

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(f"- {text}")

    if reuse:
        generated = json.loads(manifest.read_text())
    else:
        generated = in_child(phase_generate, str(work / "files"), args.las, args.years, args.seed,
                             args.size, args.end)
        manifest.write_text(json.dumps(generated))
    reused = " (earlier run, files reused)" if reuse else ""
    say(f"generate{reused}: {generated['seconds']:.1f} s, {generated['bytes'] / 1e6:,.0f} MB of files, "
        f"{generated['children_looked_after']:,} children looked after at the end, "
        f"{generated['referrals']:,} referrals; peak {generated['peak_mb']:,.0f} MB")

    if args.generate_only:
        return "\n".join(lines) + "\n"
    baseline, increment, la_codes = split_current_year(generated, args.end, work / "as_of")
    ingested_copy = work / "files" / "ingested.duckdb"
    if args.reuse_store and ingested_copy.exists():
        shutil.copyfile(ingested_copy, db)
        say(f"ingest: skipped, the store ingested by an earlier run was reused ({ingested_copy})")
    else:
        ingested = in_child(phase_ingest, db, baseline, la_codes, False, previous_month_end(args.end))
        say(f"ingest (all files to {previous_month_end(args.end)}, {ingested['files']} files): "
            f"{ingested['seconds']:.1f} s, {ingested['rows']:,} rows, "
            f"{ingested['rows'] / ingested['seconds']:,.0f} rows/s; peak {ingested['peak_mb']:,.0f} MB")
        if args.keep:
            shutil.copyfile(db, ingested_copy)

    full = in_child(phase_full_recompute, db)
    say(f"full recompute: measures {full['compute_seconds']:.1f} s ({full['kpi_rows']:,} KPI rows, "
        f"{full['las']} LAs, {full['month_ends']} month ends); with recording and benchmark refresh "
        f"{full['recompute_seconds']:.1f} s; peak {full['peak_mb']:,.0f} MB")

    incremental = in_child(phase_ingest, db, increment, la_codes, True, args.end)
    say(f"incremental month ({incremental['files']} files): ingest + recompute "
        f"{incremental['seconds']:.1f} s, of which recompute {incremental['recompute']:.1f} s "
        f"({incremental['scope']}); peak {incremental['peak_mb']:,.0f} MB")

    exported = in_child(phase_export, db, str(work / "export.csv"))
    say(f"export placements_3plus for all LAs: {exported['seconds']:.2f} s, {exported['rows']:,} rows, "
        f"{exported['las']} LAs")

    if args.reference_las != 0:
        chosen = sorted(generated["files"])[: args.reference_las or None]
        reference = in_child(phase_reference, db, chosen)
        ratio = reference["reference_seconds"] / reference["duck_seconds"]
        say(f"reference on {len(chosen)} LA(s): pandas {reference['reference_seconds']:.1f} s vs "
            f"DuckDB {reference['duck_seconds']:.2f} s on the same tables: {ratio:.0f}x; "
            f"{reference['compared_rows']:,} rows compared, {reference['missing_in_duckdb']} missing, "
            f"{reference['differing_rows']} differing; peak {reference['peak_mb']:,.0f} MB")
        say("reference by measure family (pandas vs DuckDB): " + "; ".join(
            f"{name} {pandas_seconds:.1f} s vs {duck_seconds:.2f} s"
            for name, (pandas_seconds, duck_seconds) in reference["families"].items()))
        if reference["differing_rows"] or reference["missing_in_duckdb"]:
            say(f"DIFFERENCES (first rows): {reference['differences']}")
    if not (args.keep or args.reuse):
        shutil.rmtree(work / "files", ignore_errors=True)
        shutil.rmtree(work / "as_of", ignore_errors=True)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--las", type=int, default=1)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--size", default="small", choices=("small", "medium", "large"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--work", type=Path, default=Path("/tmp/csc-scale"))
    parser.add_argument("--reference-las", type=int, default=None,
                        help="LAs to run the pandas reference on (default all; 0 = skip)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--generate-only", action="store_true", help="stop after generating (use --keep)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse files a --keep run generated with the same --las/--years")
    parser.add_argument("--reuse-store", action="store_true",
                        help="with --reuse: start from the store a --keep run ingested (skips the ingest)")
    parser.add_argument("--results", type=Path, help="append the results (markdown) to this file")
    args = parser.parse_args()
    print(machine(), flush=True)
    section = run(args)
    if args.results:
        with open(args.results, "a") as handle:
            handle.write(section + "\n")
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    print(f"(commit {git.stdout.strip()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
