"""Synthetic children's social care data for any number of LAs, in the real inputs' formats.

Why: the dashboard is built and demonstrated without real children's records, and it must cope
with national volumes. The generator simulates, per LA, children looked after (SSDA903 episodes and
care leavers' OC3 records), children in need (CIN census referrals, assessments, section 47
enquiries, conferences, plans and reviews), the social work workforce (month-end caseload lists)
and the ONS child population, with rates drawn around published England figures (see config.py)
and a low rate of the data-quality faults real extracts have (faults.py).

It is seeded and deterministic: the same arguments give the same files, byte for byte (each LA
draws from its own stream, derived from the seed and its code). It works one LA at a time and
writes each year's files before moving on, so memory stays bounded by the largest LA whatever the
number of LAs. Layout under the output folder:

    population/ons_mid-year_population_estimates_synthetic.csv
    <la_code>/ssda903/<YYYY>-episodes.csv, <YYYY>-header.csv, <YYYY>-oc3.csv
    <la_code>/cin/cin-<YYYY>.xml
    <la_code>/caseload/caseload-<YYYY-MM-DD>.csv

Run `python -m loaders.synthetic --las N --years Y --out DIR --seed S [--size small|medium|large]`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from loaders.base import local_authorities
from loaders.synthetic import config, faults, formats
from loaders.synthetic.calendar import (
    WorkingDays,
    day,
    last_complete_month_end,
    month_ends,
    reporting_year_start,
    years_before,
)
from loaders.synthetic.children_in_need import CinChild, simulate_children_in_need
from loaders.synthetic.looked_after import LookedAfterChild, simulate_looked_after
from loaders.synthetic.workforce import Workforce

POPULATION_FILE = "ons_mid-year_population_estimates_synthetic.csv"
DEFAULT_FAULT_RATE = 0.002


@dataclass
class GeneratedLa:
    la_code: str
    folder: Path
    ssda903_files: list[Path] = field(default_factory=list)
    cin_files: list[Path] = field(default_factory=list)
    caseload_files: list[Path] = field(default_factory=list)
    children_looked_after: int = 0
    referrals: int = 0

    @property
    def files(self) -> list[Path]:
        """Every file for the LA, in an order the loaders accept in one ingest."""
        return self.ssda903_files + self.cin_files + self.caseload_files


@dataclass
class GenerationReport:
    out: Path
    end: date
    first_day: date
    las: list[GeneratedLa]
    population_file: Path
    seconds: float = 0.0


def choose_las(count: int, first_la: str, seed: int) -> list[dict[str, str]]:
    """`first_la` and `count - 1` other current LAs, chosen by the seed."""
    table = local_authorities()
    current = table[table["status"] == "current"].sort_values("la_code")
    if first_la not in set(current["la_code"]):
        raise ValueError(f"{first_la!r} is not a current LA code in loaders/reference/local_authorities.csv")
    if not 1 <= count <= len(current):
        raise ValueError(f"--las must be from 1 to {len(current)}")
    others = current[current["la_code"] != first_la]
    order = np.random.default_rng([seed, 7]).permutation(len(others))[: count - 1]
    chosen = [current[current["la_code"] == first_la].iloc[0]] + [others.iloc[int(i)] for i in sorted(order)]
    return [{str(k): str(v) for k, v in row.items()} for row in chosen]


def _streams(seed: int, la_code: str) -> list[np.random.Generator]:
    sequence = np.random.SeedSequence([seed, int(la_code)])
    return [np.random.default_rng(s) for s in sequence.spawn(6)]


def _open_counts(starts: np.ndarray, ends: np.ndarray, days: list[int]) -> np.ndarray:
    """How many (start, end) intervals are open on each day (start <= day < end)."""
    started = np.searchsorted(np.sort(starts), days, side="right")
    ended = np.searchsorted(np.sort(ends), days, side="right")
    return started - ended


def generate_la(
    la: dict[str, str],
    out: Path,
    *,
    seed: int,
    first_day: date,
    end: date,
    children_looked_after: int,
    fault_rate: float,
    calendar: WorkingDays,
    rates: config.Rates = config.RATES,
) -> tuple[GeneratedLa, dict[int, int]]:
    """Simulate and write one LA's files; returns them and the LA's population estimates."""
    la_code = la["la_code"]
    cla_rng, cin_rng, work_rng, fault_rng, population_rng, _ = _streams(seed, la_code)
    result = GeneratedLa(la_code=la_code, folder=out / la_code)
    last = day(end)
    looked_after = simulate_looked_after(
        cla_rng,
        la_code,
        day(first_day) - int(config.SIMULATION_LEAD_YEARS * 365.25),
        last,
        children_looked_after,
        rates,
    )
    in_need = simulate_children_in_need(
        cin_rng,
        la_code,
        day(first_day) - int(config.CIN_LEAD_YEARS * 365.25),
        last,
        children_looked_after,
        rates,
        calendar,
    )
    first_year, last_year = reporting_year_start(first_day), reporting_year_start(end)
    spans = [(c, c.episodes[0].referral, max(e.closure for e in c.episodes)) for c in in_need]
    for year_start in range(first_year, last_year + 1):
        result.ssda903_files += _write_ssda903(
            looked_after, result.folder / "ssda903", year_start, end, fault_rng, fault_rate
        )
        census_year = year_start + 1
        path = result.folder / "cin" / f"cin-{census_year}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        census_first, census_last = day(date(year_start, 4, 1)), day(min(date(census_year, 3, 31), end))
        in_census = [c for c, first, last in spans if first <= census_last and last >= census_first]
        xml = formats.cin_census_xml(in_census, la_code, census_year, end)
        path.write_text(faults.cin_xml(xml, fault_rng, fault_rate), encoding="utf-8")
        result.cin_files.append(path)
    result.caseload_files = _write_caseloads(
        looked_after, in_need, result.folder / "caseload", la_code, first_day, end, work_rng, rates
    )
    stock_days = [day(date(y, 3, 31)) for y in range(first_day.year, end.year + 1)]
    stock = _open_counts(
        np.array([c.start for c in looked_after]),
        np.array([c.end if c.end is not None else last + 1 for c in looked_after]),
        stock_days,
    )
    result.children_looked_after = int(stock[-1])
    result.referrals = sum(len(c.episodes) for c in in_need)
    rate = float(np.clip(population_rng.normal(config.CLA_RATE_PER_10K, 12), 40, 120))
    base = float(np.mean(stock)) / rate * 10000
    growth = float(population_rng.normal(0.002, 0.004))
    estimates = {
        year: round(base * (1 + growth) ** (year - end.year))
        for year in range(first_day.year - 1, end.year + 1)
    }
    return result, estimates


def _write_ssda903(
    children: list[LookedAfterChild],
    folder: Path,
    year_start: int,
    end: date,
    rng: np.random.Generator,
    fault_rate: float,
) -> list[Path]:
    header, episodes, oc3 = formats.ssda903_year(children, year_start, end)
    paths = [
        folder / f"{year_start}-episodes.csv",
        folder / f"{year_start}-header.csv",
        folder / f"{year_start}-oc3.csv",
    ]
    formats.write_csv(paths[0], formats.EPISODE_COLUMNS, faults.episodes(episodes, rng, fault_rate))
    formats.write_csv(paths[1], formats.HEADER_COLUMNS, faults.header(header, rng, fault_rate))
    formats.write_csv(paths[2], formats.OC3_COLUMNS, faults.oc3(oc3, rng, fault_rate))
    return paths


def _write_caseloads(
    looked_after: list[LookedAfterChild],
    in_need: list[CinChild],
    folder: Path,
    la_code: str,
    first_day: date,
    end: date,
    rng: np.random.Generator,
    rates: config.Rates,
) -> list[Path]:
    ends = month_ends(first_day, end)
    days = [day(d) for d in ends]
    last = day(end) + 1
    cla = _open_counts(
        np.array([c.start for c in looked_after]),
        np.array([c.end if c.end is not None else last for c in looked_after]),
        days,
    )
    cin = _open_counts(
        np.array([e.referral for c in in_need for e in c.episodes]),
        np.array([e.closure for c in in_need for e in c.episodes]),
        days,
    )
    leavers = np.array([c.end for c in looked_after if c.care_leaver and c.end is not None])
    care_leavers = _open_counts(leavers, leavers + 3 * 365, days)
    open_cases = cla + cin + care_leavers // 2
    workforce = Workforce(rng, la_code, int(open_cases[0]), rates)
    paths = []
    for when, cases in zip(ends, open_cases.tolist(), strict=True):
        path = folder / f"caseload-{when.isoformat()}.csv"
        formats.write_csv(
            path, formats.CASELOAD_COLUMNS, formats.caseload_rows(when, workforce.month_end(when, int(cases)))
        )
        paths.append(path)
    return paths


def generate(
    out: Path | str,
    *,
    las: int = 1,
    years: int = 5,
    seed: int = 0,
    size: str = "small",
    end: date | None = None,
    first_la: str = "929",
    children_looked_after: int | None = None,
    fault_rate: float = DEFAULT_FAULT_RATE,
    today: date | None = None,
) -> GenerationReport:
    """Write synthetic files for `las` LAs over `years` years ending at the month end `end`.

    `end` defaults to the last complete month before `today`. The first LA is `first_la` with
    `children_looked_after` children looked after at a time (default: the size's figure); the
    others are chosen by the seed and vary in size around that figure.
    """
    started = time.perf_counter()
    out = Path(out)
    if size not in config.SIZES:
        raise ValueError(f"size must be one of {', '.join(config.SIZES)}")
    end = end or last_complete_month_end(today or date.today())
    first_day = years_before(end, years)
    calendar = WorkingDays(first_day.year - config.CIN_LEAD_YEARS - 1, end.year + 2)
    chosen = choose_las(las, first_la, seed)
    generated: list[GeneratedLa] = []
    population: list[list[str]] = []
    for index, la in enumerate(chosen):
        base = children_looked_after or config.SIZES[size]
        if index == 0:
            count = base
        else:
            factor = np.random.default_rng([seed, int(la["la_code"]), 1]).lognormal(0, 0.35)
            count = int(base * float(np.clip(factor, 0.35, 2.6)))
        result, estimates = generate_la(
            la,
            out,
            seed=seed,
            first_day=first_day,
            end=end,
            children_looked_after=count,
            fault_rate=fault_rate,
            calendar=calendar,
        )
        generated.append(result)
        population += formats.population_rows(la, estimates)
    population_file = out / "population" / POPULATION_FILE
    population.sort(key=lambda row: (-int(row[0]), row[7]))
    formats.write_csv(population_file, formats.POPULATION_COLUMNS, population)
    return GenerationReport(
        out=out,
        end=end,
        first_day=first_day,
        las=generated,
        population_file=population_file,
        seconds=time.perf_counter() - started,
    )
