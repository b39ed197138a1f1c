"""Children looked after, simulated as periods of care made of episodes (the SSDA903 model).

Children start to be looked after at a steady rate for years before the first file, so the stock
at any date has realistic lengths of stay (long-term stability needs children in care 2.5 years).
Each period of care is a run of episodes: a new episode whenever the placement (RNE P, or T with a
legal status change), the legal status alone (L) or the placement with the same carer (U) changes.
Children differ in how often they move, which gives the published spread of short-term stability
(3+ placements in a year) and long-term stability. Young children may be adopted; everyone leaves
care by their 18th birthday. Care leavers (former relevant children) get an OC3 record around each
birthday from 17 to 21.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from loaders.synthetic import config
from loaders.synthetic.calendar import birthday
from loaders.synthetic.draws import Draws, pick

YEAR = 365.25


@dataclass
class Episode:
    decom: int
    rne: str
    ls: str
    cin: str
    place: str
    provider: str
    dec: int | None = None
    rec: str | None = None
    reason_place_change: str | None = None
    urn: str = ""


@dataclass
class LookedAfterChild:
    child: str
    sex: str
    dob: int
    ethnic: str
    upn: str
    episodes: list[Episode] = field(default_factory=list)
    care_leaver: bool = False
    oc3: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # age -> in_touch, activ, accom

    @property
    def start(self) -> int:
        return self.episodes[0].decom

    @property
    def end(self) -> int | None:
        return self.episodes[-1].dec


def _age_at_entry_days(rng: Draws) -> int:
    band = rng.weighted_index([0.19, 0.14, 0.18, 0.37, 0.12])
    low, high = [(0, 1), (1, 5), (5, 10), (10, 16), (16, 17.9)][band]
    if band == 0 and rng.random() < 0.5:
        return int(rng.integers(0, 30))
    return int(rng.uniform(low, high) * YEAR)


def _placement(rng: Draws, age_years: float) -> tuple[str, str]:
    if age_years >= 16:
        place = pick(
            rng,
            {
                "H5": 0.32,
                "K2": 0.16,
                "U4": 0.2,
                "U5": 0.08,
                "U6": 0.1,
                "P2": 0.04,
                "R5": 0.03,
                "S1": 0.04,
                "U1": 0.03,
            },
        )
    elif age_years >= 11:
        place = pick(
            rng,
            {
                "U4": 0.3,
                "U5": 0.14,
                "U6": 0.14,
                "K2": 0.17,
                "U1": 0.09,
                "U2": 0.03,
                "P1": 0.05,
                "R1": 0.03,
                "S1": 0.02,
                "K1": 0.03,
            },
        )
    else:
        place = pick(
            rng,
            {
                "U4": 0.36,
                "U5": 0.16,
                "U6": 0.14,
                "U1": 0.14,
                "U2": 0.05,
                "U3": 0.03,
                "P1": 0.06,
                "R1": 0.02,
                "K2": 0.02,
                "Z1": 0.02,
            },
        )
    if place in ("P1", "P2"):
        return place, "PR0"
    provider = pick(rng, {"PR1": 0.48, "PR4": 0.38, "PR2": 0.04, "PR3": 0.06, "PR5": 0.04})
    return place, provider


def _period_length_days(rng: Draws, age_years: float, shape: float) -> int:
    if age_years >= 16:
        years = rng.exponential(0.9)
    elif rng.random() < 0.38:
        years = rng.exponential(0.3)
    else:
        years = rng.exponential(3.9 * shape)
    return max(1, int(years * YEAR))


def simulate_child(
    rng: Draws,
    child_id: str,
    start: int,
    stability_shape: float,
) -> LookedAfterChild:
    """One child's period of care starting on day `start` (not yet cut to any file's dates)."""
    age_days = _age_at_entry_days(rng)
    dob = start - age_days
    age = age_days / YEAR
    child = LookedAfterChild(
        child=child_id,
        sex="1" if rng.random() < 0.56 else "2",
        dob=dob,
        ethnic=pick(rng, config.ETHNICITY),
        upn=f"{chr(65 + int(rng.integers(0, 26)))}{int(rng.integers(0, 10**12)):012d}",
    )
    eighteenth = birthday(dob, 18)
    end = min(start + _period_length_days(rng, age, stability_shape), eighteenth)
    short_breaks = rng.random() < 0.025 and age >= 5
    adopted = age < 5 and end - start > 400 and end < eighteenth and rng.random() < 0.45
    if adopted:
        end = max(end, start + int(rng.uniform(1.2, 2.5) * YEAR))
    kind = rng.random()
    move_rate = 0.08 if kind < 0.62 else (0.9 if kind < 0.875 else 3.2)
    need = pick(rng, config.CLA_NEED)
    if short_breaks:
        ls = rng.choice(["V3", "V4"])
        need = "N2"
    elif age >= 10 and rng.random() < 0.03:
        ls = "J2"
    else:
        ls = pick(rng, {"V2": 0.42, "C2": 0.40, "L2": 0.05, "C1": 0.09, "L1": 0.04})
    place, provider = _placement(rng, age)
    episodes = [Episode(decom=start, rne="S", ls=ls, cin=need, place=place, provider=provider)]
    day_now = start
    adoption_day = start + int(rng.uniform(0.8, 1.6) * YEAR) if adopted else None
    legal_change = (
        day_now + int(rng.uniform(50, 280))
        if ls in ("C2", "L1", "L2") or (ls == "V2" and rng.random() < 0.2)
        else None
    )
    while True:
        next_move = day_now + max(1, int(rng.exponential(YEAR / move_rate)))
        candidates = [(next_move, "move")]
        if legal_change is not None and legal_change > day_now:
            candidates.append((legal_change, "legal"))
        if adoption_day is not None and adoption_day > day_now:
            candidates.append((adoption_day, "adoption"))
        when, what = min(candidates)
        if when >= end:
            break
        current = episodes[-1]
        current.dec = when
        current.rec = "X1"
        age_now = (when - dob) / YEAR
        if what == "legal":
            new_ls = "C1" if current.ls in ("C2", "V2") else "C2"
            episodes.append(
                Episode(
                    decom=when,
                    rne="L",
                    ls=new_ls,
                    cin=current.cin,
                    place=current.place,
                    provider=current.provider,
                )
            )
            legal_change = when + int(rng.uniform(60, 300)) if new_ls == "C2" else None
        elif what == "adoption":
            same_carer = current.place.startswith("U") and rng.random() < 0.15
            place = "A5" if same_carer else rng.choice(["A4", "A5", "A6"])
            rne = "U" if same_carer else "T"
            if not same_carer:
                current.reason_place_change = "CARPL"
            episodes.append(
                Episode(
                    decom=when,
                    rne=rne,
                    ls="E1",
                    cin=current.cin,
                    place=place,
                    provider="PR1" if rng.random() < 0.6 else "PR3",
                )
            )
            adoption_day = None
            move_rate = 0.01
        else:
            place, provider = _placement(rng, age_now)
            same_carer = rng.random() < 0.04
            rne = "U" if same_carer else ("T" if rng.random() < 0.08 else "P")
            if rne != "U":
                current.reason_place_change = pick(rng, config.MOVE_REASONS)
            new_ls = current.ls
            if rne == "T":
                new_ls = "C1" if current.ls in ("C2", "V2") else current.ls
            episodes.append(
                Episode(decom=when, rne=rne, ls=new_ls, cin=current.cin, place=place, provider=provider)
            )
        day_now = when
    last = episodes[-1]
    last.dec = end
    last.rec = _reason_ceased(rng, adopted, end == eighteenth, (end - dob) / YEAR, last.ls)
    child.episodes = episodes
    child.care_leaver = _former_relevant(start, end, dob) and not adopted
    return child


def _reason_ceased(rng: Draws, adopted: bool, eighteen: bool, age: float, ls: str) -> str:
    if adopted:
        return "E11" if rng.random() < 0.8 else "E12"
    if eighteen:
        return pick(rng, {"E17": 0.2, "E3": 0.25, "E15": 0.05, "E8": 0.3, "E16": 0.1, "E5": 0.05, "E7": 0.05})
    if ls == "J2":
        return pick(rng, {"E14": 0.7, "E9": 0.3})
    if age >= 16:
        return pick(rng, {"E3": 0.3, "E13": 0.2, "E4A": 0.2, "E8": 0.2, "E9": 0.05, "E6": 0.05})
    return pick(
        rng,
        {
            "E13": 0.28,
            "E4A": 0.28,
            "E41": 0.09,
            "E45": 0.06,
            "E46": 0.03,
            "E47": 0.05,
            "E48": 0.07,
            "E4B": 0.06,
            "E8": 0.06,
            "E6": 0.01,
            "E2": 0.004,
        },
    )


def _former_relevant(start: int, end: int, dob: int) -> bool:
    """Looked after at least 13 weeks after the 14th birthday, including some time after the 16th."""
    fourteenth, sixteenth = birthday(dob, 14), birthday(dob, 16)
    return end > sixteenth and end - max(start, fourteenth) >= 91


def care_leaver_records(
    rng: Draws, child: LookedAfterChild, rates: config.Rates, in_touch_shift: float, eet_shift: float
) -> None:
    """OC3 values at each birthday from 17 to 21 after the child left care."""
    end = child.end
    if not child.care_leaver or end is None:
        return
    for age in range(17, 22):
        if birthday(child.dob, age) <= end:
            continue
        touch_weights = dict(config.IN_TOUCH_17_18 if age <= 18 else config.IN_TOUCH_19_21)
        touch_weights["YES"] = max(0.5, touch_weights["YES"] + in_touch_shift)
        in_touch = pick(rng, touch_weights)
        if in_touch != "YES":
            activ, accom = "0", "0"
            if in_touch == "NREQ":
                activ = pick(rng, config.EET_ACTIVITIES) if rng.random() < 0.5 else "0"
                accom = pick(rng, config.SUITABLE_ACCOMMODATION)
            child.oc3[age] = (in_touch, activ, accom)
            continue
        eet_target = (rates.eet_17_18 if age <= 18 else rates.eet_19_21) + eet_shift
        if rng.random() < min(0.98, eet_target):
            activ = pick(rng, config.EET_ACTIVITIES)
        elif rng.random() < 0.9:
            activ = pick(rng, config.NEET_ACTIVITIES)
        else:
            activ = "0"
        if rng.random() < min(0.99, rates.suitable_accommodation / 0.9):
            accom = pick(rng, config.SUITABLE_ACCOMMODATION)
        else:
            accom = pick(rng, config.UNSUITABLE_ACCOMMODATION)
        child.oc3[age] = (in_touch, activ, accom)


def simulate_looked_after(
    rng: np.random.Generator,
    la_code: str,
    first_day: int,
    last_day: int,
    children_at_a_time: int,
    rates: config.Rates,
) -> list[LookedAfterChild]:
    """Every period of care starting from `first_day` to `last_day` for one LA, oldest first."""
    starts_per_day = children_at_a_time / config.CLA_MEAN_YEARS / YEAR
    stability_shape = float(rng.uniform(0.9, 1.1))
    in_touch_shift = float(rng.normal(0, 0.02))
    eet_shift = float(rng.normal(0, 0.03))
    count = int(rng.poisson(starts_per_day * (last_day - first_day)))
    starts = np.sort(rng.integers(first_day, last_day, size=count))
    draws = Draws(rng)
    children = []
    for number, start in enumerate(starts):
        child = simulate_child(draws, f"{la_code}{number + 1:06d}", int(start), stability_shape)
        care_leaver_records(draws, child, rates, in_touch_shift, eet_shift)
        children.append(child)
    return children
