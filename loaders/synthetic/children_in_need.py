"""Children in need, simulated referral by referral (the CIN census model).

Each referral opens a CIN episode for a child. Most lead to an assessment, timed in working days
so that about the published share are authorised within 45; some lead to a section 47 enquiry,
an initial child protection conference (about the published share within 15 working days) and a
child protection plan with reviews (first within 3 months, then every 6). About the published
share of referrals come within 12 months of the same child's previous one, and plans record the
number of previous plans (0 for a first plan, as the census guide says), including plans from
before the data began. A child never has two episodes open at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from loaders.synthetic import config
from loaders.synthetic.calendar import WorkingDays
from loaders.synthetic.draws import Draws, pick
from loaders.synthetic.looked_after import YEAR

RE_REFERRAL_TRIES = 40  # children tried for a re-referral (one whose case is closed)
WEEKEND_KEEP = 0.25  # share of weekend days' referrals kept (fewer referrals at weekends)


@dataclass
class Assessment:
    start: int
    authorised: int


@dataclass
class Section47:
    start: int
    icpc_target: int
    icpc: int | None


@dataclass
class ProtectionPlan:
    start: int
    end: int
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[int] = field(default_factory=list)


@dataclass
class CinEpisode:
    referral: int
    source: str
    need: str
    closure: int
    closure_reason: str
    nfa: bool
    assessments: list[Assessment] = field(default_factory=list)
    cin_plan: tuple[int, int] | None = None
    section47s: list[Section47] = field(default_factory=list)
    plans: list[ProtectionPlan] = field(default_factory=list)


@dataclass
class CinChild:
    child: str
    upn: str
    dob: int
    gender: str
    ethnic: str
    disabilities: tuple[str, ...]
    plans_before_data: int
    episodes: list[CinEpisode] = field(default_factory=list)

    @property
    def plans_so_far(self) -> int:
        return self.plans_before_data + sum(len(e.plans) for e in self.episodes)


@dataclass(frozen=True)
class LaTimeliness:
    assessments_45_days: float
    icpc_15_days: float
    review_on_time: float
    re_referrals: float
    plans_before_data: float


def _new_child(rng: Draws, la_code: str, number: int, referral: int, plans_before_data: float) -> CinChild:
    age_days = int(rng.uniform(0, 17.2) * YEAR) if rng.random() > 0.08 else int(rng.integers(0, 60))
    disabled = rng.random() < 0.12
    disabilities = tuple(
        sorted(
            {
                pick(rng, {"LD": 0.3, "AUT": 0.3, "COMM": 0.15, "BEH": 0.15, "MOB": 0.1})
                for _ in range(int(rng.integers(1, 3)))
            }
        )
    )
    earlier = 0
    if rng.random() < plans_before_data:
        earlier = 1 if rng.random() < 0.75 else 2
    return CinChild(
        child=f"{la_code}C{number:07d}",
        upn=f"{chr(65 + int(rng.integers(0, 26)))}{int(rng.integers(0, 10**12)):012d}",
        dob=referral - age_days,
        gender="1" if rng.random() < 0.52 else "2",
        ethnic=pick(rng, config.ETHNICITY),
        disabilities=disabilities if disabled else (),
        plans_before_data=earlier,
    )


def _working_days(rng: Draws, on_time_share: float, limit: int, earliest: int, latest_late: int) -> int:
    if rng.random() < on_time_share:
        return int(rng.triangular(earliest, limit * 0.8, limit + 1)) if limit > earliest else earliest
    return int(rng.integers(limit + 1, latest_late))


def _episode(
    rng: Draws,
    child: CinChild,
    referral: int,
    calendar: WorkingDays,
    timeliness: LaTimeliness,
    rates: config.Rates,
) -> CinEpisode:
    wd = calendar.add
    episode = CinEpisode(
        referral=referral,
        source=pick(rng, config.REFERRAL_SOURCES),
        need=pick(rng, config.PRIMARY_NEED),
        closure=referral,
        closure_reason="RC8",
        nfa=False,
    )
    if rng.random() < rates.referral_nfa:
        episode.nfa = True
        episode.closure = referral + int(rng.integers(0, 4))
        episode.closure_reason = "RC8"
        return episode
    start = wd(referral, int(rng.integers(0, 4)))
    duration = _working_days(rng, timeliness.assessments_45_days, 45, 5, 110)
    authorised = wd(start, duration)
    episode.assessments.append(Assessment(start=start, authorised=authorised))
    end_of_work = authorised
    if rng.random() < rates.section47_after_assessment:
        s47_start = wd(referral, int(rng.integers(0, 6)))
        target = wd(s47_start, 15)
        icpc = None
        if rng.random() < rates.icpc_after_section47:
            days = _working_days(rng, timeliness.icpc_15_days, 15, 4, 45)
            icpc = wd(s47_start, days)
        episode.section47s.append(Section47(start=s47_start, icpc_target=target, icpc=icpc))
        if icpc is not None and rng.random() < rates.cp_plan_after_icpc:
            length = max(30, int(rng.gamma(2.0, 165)))
            category = pick(rng, config.ABUSE_CATEGORIES)
            plan = ProtectionPlan(
                start=icpc,
                end=icpc + length,
                initial_category=category,
                latest_category=category if rng.random() < 0.9 else pick(rng, config.ABUSE_CATEGORIES),
                previous_plans=child.plans_so_far,
            )
            due = icpc + 91
            while due < plan.end:
                if rng.random() < timeliness.review_on_time:
                    held = due - int(rng.integers(0, 25))
                else:
                    held = due + int(rng.integers(2, 45))
                if held >= plan.end:
                    break
                plan.reviews.append(held)
                due = held + 182
            episode.plans.append(plan)
            end_of_work = max(end_of_work, plan.end)
    if not episode.plans and rng.random() < 0.5:
        plan_start = authorised + int(rng.integers(0, 10))
        plan_end = plan_start + max(20, int(rng.gamma(2.0, 170)))
        episode.cin_plan = (plan_start, plan_end)
        end_of_work = plan_end
        episode.closure_reason = "RC7"
    elif episode.plans:
        end_of_work += int(rng.integers(0, 150))
        episode.cin_plan = (
            (episode.plans[-1].end, end_of_work) if end_of_work > episode.plans[-1].end else None
        )
        episode.closure_reason = pick(
            rng, {"RC7": 0.85, "RC3": 0.03, "RC4": 0.04, "RC5": 0.05, "RC1": 0.01, "RC6": 0.02}
        )
    else:
        episode.closure_reason = "RC9" if rng.random() < 0.45 else "RC8"
    episode.closure = end_of_work + int(rng.integers(0, 15))
    return episode


def simulate_children_in_need(
    rng: np.random.Generator,
    la_code: str,
    first_day: int,
    last_day: int,
    children_looked_after: int,
    rates: config.Rates,
    calendar: WorkingDays,
) -> list[CinChild]:
    """Every child referred from `first_day` to `last_day` with their CIN episodes, for one LA."""
    timeliness = LaTimeliness(
        assessments_45_days=float(np.clip(rng.normal(rates.assessments_45_days, 0.04), 0.5, 0.99)),
        icpc_15_days=float(np.clip(rng.normal(rates.icpc_15_days, 0.05), 0.4, 0.99)),
        review_on_time=float(np.clip(rng.normal(0.975, 0.01), 0.9, 1.0)),
        re_referrals=float(np.clip(rng.normal(rates.re_referrals, 0.04), 0.08, 0.4)),
        plans_before_data=float(np.clip(rng.normal(0.21, 0.03), 0.05, 0.35)),
    )
    weekday_share = (5 + 2 * WEEKEND_KEEP) / 7
    per_day = (
        children_looked_after * config.REFERRALS_PER_CLA * rng.uniform(0.85, 1.15) / YEAR / weekday_share
    )
    children: list[CinChild] = []
    recent: list[tuple[int, int]] = []  # (referral day, child index) from `oldest` on: the last year
    oldest = 0
    free_after: list[int] = []  # the day each child's latest episode closed
    count = int(rng.poisson(per_day * (last_day - first_day + 1)))
    days = np.sort(rng.integers(first_day, last_day + 1, size=count))
    weekend = (days - 1) % 7 >= 5
    days = days[~weekend | (rng.random(count) < WEEKEND_KEEP)]  # fewer referrals at weekends
    draws = Draws(rng)
    for referral in days.tolist():
        chosen = None
        while oldest < len(recent) and recent[oldest][0] < referral - 365:
            oldest += 1
        if oldest < len(recent) and draws.random() < timeliness.re_referrals:
            for _ in range(RE_REFERRAL_TRIES):
                candidate = recent[int(draws.integers(oldest, len(recent)))][1]
                if free_after[candidate] < referral:
                    chosen = candidate
                    break
        elif children and draws.random() < 0.09:
            candidate = int(draws.integers(0, len(children)))
            if free_after[candidate] < referral - 365:
                chosen = candidate
        if chosen is None:
            children.append(
                _new_child(draws, la_code, len(children) + 1, referral, timeliness.plans_before_data)
            )
            free_after.append(referral - 1)
            chosen = len(children) - 1
        child = children[chosen]
        episode = _episode(draws, child, referral, calendar, timeliness, rates)
        child.episodes.append(episode)
        free_after[chosen] = episode.closure
        recent.append((referral, chosen))
    return children
