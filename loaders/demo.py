"""The demo store: one synthetic LA, its targets and workforce figures, and the real benchmarks.

The dashboard must show something useful on first run without anyone's real records. The demo is
LA 929 filled with synthetic records (the pages label it "synthetic demo data"): about 500 children
looked after over five years to the last complete month (SSDA903 tables, CIN census XML,
month-end caseload lists, ONS-format population), a performance workbook with the workforce
figures child-level data cannot give (turnover, agency and vacancy rates), and a targets file with
a multi-year trajectory. The published benchmarks (every LA's, region's and England's published
values and both statistical neighbour models) come from the compact files shipped in
data/published/ (built from the DfE originals by `python -m loaders.published`), so a fresh clone
without ../shared/data compares the demo LA with its real neighbours, region and England.

Every file goes through `loaders.ingest.ingest` with `metrics.compute.recompute`, exactly as an
LA's own files would, in one batch. The files are written to data/demo/ (not committed).
`DEMO_FILES` lists the builders; each names the loader kinds its files need, and a kind missing
from the registry stops the build with an error rather than leaving part of the demo out. Another
file (for example an improvement plan) is added by appending a `DemoFile` to `DEMO_FILES`.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from loaders.ingest import IngestReport, ingest
from loaders.published import BENCHMARKS_FILE, NEIGHBOURS_FILE
from loaders.registry import kinds
from loaders.store import default_db_path, write_session
from loaders.synthetic import GenerationReport, generate
from loaders.synthetic.calendar import last_complete_month_end, month_ends, reporting_year_start
from metrics.catalogue import load_catalogue
from metrics.compute import recompute

ROOT = Path(__file__).resolve().parent.parent
DEMO_FOLDER = ROOT / "data" / "demo"
DEMO_LA = "929"
DEMO_SEED = 2024
DEMO_YEARS = 5
DEMO_CHILDREN_LOOKED_AFTER = 500
DEMO_SETTING = ("demo", "synthetic")  # read by the pages to label the data "synthetic demo data"


class DemoError(RuntimeError):
    """The demo cannot be built in this copy (a loader it needs is missing)."""


@dataclass
class DemoContext:
    folder: Path
    la_code: str
    end: date
    years: int = DEMO_YEARS
    children_looked_after: int = DEMO_CHILDREN_LOOKED_AFTER
    synthetic: GenerationReport | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoFile:
    name: str
    kinds: tuple[str, ...]  # loader kinds that must be registered to read the files
    build: Callable[[DemoContext], list[Path]]


def synthetic_records(context: DemoContext) -> list[Path]:
    """SSDA903, CIN census, caseload lists and population for the demo LA (loaders.synthetic)."""
    report = generate(
        context.folder / "synthetic",
        las=1,
        years=context.years,
        seed=DEMO_SEED,
        first_la=context.la_code,
        children_looked_after=context.children_looked_after,
        end=context.end,
    )
    context.synthetic = report
    return [report.population_file] + report.las[0].files


WORKFORCE_LEVELS = {  # indicator: (% in the first month, change per year, month-to-month noise)
    "sw_turnover_rate": (18.5, -0.8, 0.6),
    "sw_agency_rate": (21.0, -1.5, 0.7),
    "sw_vacancy_rate": (19.0, -0.6, 0.8),
}


def _demo_months(context: DemoContext) -> list[date]:
    first = context.end.replace(year=context.end.year - context.years, day=1)
    return month_ends(first, context.end)[1:]


def performance_workbook(context: DemoContext) -> list[Path]:
    """The performance book: a title row, then indicators as rows and months as columns ("15.2%")."""
    months = _demo_months(context)
    rng = np.random.default_rng([DEMO_SEED, 1])
    path = context.folder / "performance_book.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Children's Services performance book: workforce (synthetic demo data)"])
        writer.writerow([])
        writer.writerow(["Indicator"] + [m.strftime("%b-%y") for m in months])
        for indicator, (start, drift, noise) in WORKFORCE_LEVELS.items():
            label = load_catalogue().get(indicator).name
            wander = np.cumsum(rng.normal(0, noise / 3, len(months)))
            values = start + drift * np.arange(len(months)) / 12 + wander
            writer.writerow([label] + [f"{max(v, 1.0):.1f}%" for v in values])
        writer.writerow([])
        writer.writerow(["Rates are full-time equivalents; turnover is leavers in the last 12 months."])
    return [path]


# indicator -> (target for the latest reporting year, change per year): a trajectory towards about
# the national level, so that some months meet the target, some just miss and some miss by more.
TARGET_TRAJECTORIES: dict[str, tuple[float, float]] = {
    "caseload_average": (16.5, -0.3),
    "repeat_cp_plans": (22.0, -0.5),
    "placements_3plus": (10.0, -0.3),
    "long_term_stability": (70.0, 0.5),
    "care_leavers_in_touch_17_18": (91.0, 0.5),
    "care_leavers_in_touch_19_21": (91.0, 0.5),
    "care_leavers_suitable_accommodation_17_18": (90.0, 0.5),
    "care_leavers_suitable_accommodation_19_21": (89.0, 0.5),
    "care_leavers_eet_17_18": (65.0, 1.0),
    "care_leavers_eet_19_21": (55.0, 1.0),
    "re_referrals": (21.0, -0.5),
    "assessments_45_days": (83.0, 1.0),
    "icpc_15_days": (80.0, 1.0),
    "cp_reviews_on_time": (92.0, 0.5),
    "sw_turnover_rate": (15.0, -0.5),
    "sw_agency_rate": (16.0, -1.0),
    "sw_vacancy_rate": (17.0, -0.5),
}


def targets(context: DemoContext) -> list[Path]:
    """A long-form targets file: Indicator, Year, Target, Tolerance, LA code, one row per year."""
    first_year = reporting_year_start(_demo_months(context)[0])
    last_year = reporting_year_start(context.end) + 1
    path = context.folder / "targets.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Indicator", "Year", "Target", "Tolerance", "LA code"])
        for indicator, (latest, step) in TARGET_TRAJECTORIES.items():
            for year in range(first_year, last_year + 1):
                label = f"{year}/{(year + 1) % 100:02d}"
                target = latest - step * (last_year - year)
                writer.writerow([indicator, label, f"{target:.1f}", "", context.la_code])
    return [path]


# ref, recommendation, area, owner, linked indicators, baseline, target (blank: the targets file),
# manual RAG and its reason; shaped like seed 000's appendix of Ofsted recommendations
DEMO_PLAN = [
    (
        "1",
        "Apply thresholds consistently at the front door",
        "Front door",
        "Head of First Response",
        "re_referrals; assessments_45_days",
        "",
        "",
        "",
        "",
    ),
    (
        "2",
        "Reduce repeat child protection plans",
        "Child protection",
        "Head of Safeguarding",
        "repeat_cp_plans",
        "",
        "",
        "",
        "",
    ),
    (
        "3",
        "Hold conferences and reviews on time",
        "Child protection",
        "Head of Safeguarding",
        "icpc_15_days; cp_reviews_on_time",
        "",
        "",
        "",
        "",
    ),
    (
        "4",
        "Improve placement stability for children in care",
        "Children in care",
        "Head of Children in Care",
        "placements_3plus; long_term_stability",
        "",
        "",
        "",
        "",
    ),
    (
        "5",
        "More care leavers in education, employment or training",
        "Care leavers",
        "Head of Care Leavers",
        "care_leavers_eet_17_18; care_leavers_eet_19_21",
        "",
        "",
        "",
        "",
    ),
    (
        "6",
        "Stay in touch with care leavers in suitable homes",
        "Care leavers",
        "Head of Care Leavers",
        "care_leavers_in_touch_19_21; care_leavers_suitable_accommodation_19_21",
        "",
        "",
        "",
        "",
    ),
    (
        "7",
        "Keep caseloads within the agreed standards",
        "Workforce",
        "Assistant Director",
        "caseload_average",
        "",
        "18",
        "",
        "",
    ),
    (
        "8",
        "Ensure management oversight complies with the supervision policy",
        "Workforce",
        "Principal Social Worker",
        "",
        "84%",
        "90%",
        "amber",
        "Audits show supervision improving, not yet consistent",
    ),
]


def improvement_plan(context: DemoContext) -> list[Path]:
    """An improvement plan whose recommendations link to the demo's indicators (CSV)."""
    target_date = f"31/03/{reporting_year_start(context.end) + 1}"
    path = context.folder / "improvement_plan.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "Ref",
                "Recommendation",
                "Area",
                "Owner",
                "Linked indicators",
                "Baseline",
                "Target",
                "Target date",
                "RAG override",
                "Override reason",
            ]
        )
        for ref, text, area, owner, links, baseline, target, rag, reason in DEMO_PLAN:
            writer.writerow([ref, text, area, owner, links, baseline, target, target_date, rag, reason])
    return [path]


def published_benchmarks(context: DemoContext) -> list[Path]:
    """The shipped published benchmarks and statistical neighbour lists (read where they are)."""
    return [BENCHMARKS_FILE, NEIGHBOURS_FILE]


DEMO_FILES: list[DemoFile] = [
    DemoFile(
        "synthetic records", ("ons_population", "ssda903", "cin_census", "caseload_list"), synthetic_records
    ),
    DemoFile("performance workbook", ("performance_workbook",), performance_workbook),
    DemoFile("targets", ("targets",), targets),
    DemoFile("improvement plan", ("improvement_plan",), improvement_plan),
    DemoFile("published benchmarks", ("published",), published_benchmarks),
]


def check_loaders(files: list[DemoFile]) -> None:
    """Raise DemoError if a kind a demo file needs has no loader in the registry."""
    registered = set(kinds())
    missing = sorted({k for f in files for k in f.kinds if k not in registered})
    if missing:
        raise DemoError("the demo needs loaders that are not registered: " + ", ".join(missing))


def build_demo(
    db_path: Path | str,
    *,
    force: bool = False,
    today: date | None = None,
    folder: Path | None = None,
    years: int = DEMO_YEARS,
    children_looked_after: int = DEMO_CHILDREN_LOOKED_AFTER,
) -> IngestReport:
    """Build the demo store at `db_path` (skipped if it exists, unless `force`); returns the ingest report.

    `years` and `children_looked_after` size the synthetic LA (tests use a small one).
    """
    db_path = Path(db_path)
    if db_path.exists() and not force:
        return IngestReport(batch_id="", ok=True, files=[], problems=[])
    files = DEMO_FILES
    check_loaders(files)
    folder = folder or DEMO_FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    context = DemoContext(
        folder=folder,
        la_code=DEMO_LA,
        end=last_complete_month_end(today or date.today()),
        years=years,
        children_looked_after=children_looked_after,
    )
    paths = [path for demo_file in files for path in demo_file.build(context)]
    if force and db_path.exists():
        db_path.unlink()
    report = ingest(paths, db=db_path, la_code=DEMO_LA, derive=recompute, today=today)
    if report.ok:
        with write_session(db_path) as writer:
            writer.execute("insert or replace into settings values (?, ?)", list(DEMO_SETTING))
    return report


def main() -> int:
    import sys
    import time

    started = time.perf_counter()
    report = build_demo(Path(sys.argv[1]) if len(sys.argv) > 1 else default_db_path(), force=True)
    print(f"demo {'built' if report.ok else 'FAILED'} in {time.perf_counter() - started:.1f} s")
    for problem in report.messages[:20]:
        print(" ", problem)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
