"""Month-end caseload lists: a workforce that changes slowly and holds the LA's open cases.

Workers keep their id from month to month; about the published share leave each year and are
replaced, about the published share are agency staff. Each month end the open cases (children in
need, on plans and looked after, plus care leavers) are shared among case holders in proportion
to their FTE and their role's capacity, so the LA's average caseload sits near its own level
(drawn around the national figure) and drifts a little over time. Team managers hold a few cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from loaders.synthetic import config
from loaders.synthetic.draws import pick


@dataclass
class Worker:
    worker_id: str
    team: str
    service_area: str
    role: str
    fte: float
    agency: bool


def _fte(rng: np.random.Generator) -> float:
    return float(rng.choice([1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.6, 0.5, 0.9]))


def _team_names(teams_needed: dict[str, int]) -> list[tuple[str, str]]:
    names = []
    for service_area, team, _ in config.TEAMS:
        count = teams_needed[team]
        for number in range(1, count + 1):
            names.append((service_area, f"{team} {number}" if count > 1 else team))
    return names


class Workforce:
    def __init__(self, rng: np.random.Generator, la_code: str, open_cases: int, rates: config.Rates) -> None:
        self.rng = rng
        self.la_code = la_code
        self.rates = rates
        self.level = float(np.clip(rng.normal(rates.average_caseload, 1.6), 12.5, 21.5))
        case_holder_fte = open_cases / self.level
        teams_needed = {
            team: max(1, round(case_holder_fte * share / config.WORKERS_PER_TEAM / 0.9))
            for _, team, share in config.TEAMS
        }
        self.teams = _team_names(teams_needed)
        self.next_id = 1
        self.workers: list[Worker] = []
        for service_area, team in self.teams:
            self.workers.append(self._hire(service_area, team, "Team Manager"))
        shares = {team: share for _, team, share in config.TEAMS}
        for service_area, team in self.teams:
            base = next(t for _, t, _ in config.TEAMS if team.startswith(t))
            fte_needed = case_holder_fte * shares[base] / teams_needed[base]
            held = 0.0
            while held < fte_needed:
                worker = self._hire(service_area, team)
                self.workers.append(worker)
                held += worker.fte

    def _hire(self, service_area: str, team: str, role: str | None = None) -> Worker:
        role = role or pick(self.rng, {name: share for name, share, _ in config.ROLES})
        worker = Worker(
            worker_id=f"SW{self.la_code}{self.next_id:05d}",
            team=team,
            service_area=service_area,
            role=role,
            fte=1.0 if role == "Team Manager" else _fte(self.rng),
            agency=role != "Team Manager" and self.rng.random() < self.rates.agency_share,
        )
        self.next_id += 1
        return worker

    def month_end(self, when: date, open_cases: int) -> list[tuple[Worker, int]]:
        """The caseload list at a month end: every worker with the cases they hold."""
        monthly_leaving = self.rates.annual_turnover / 12
        for index, worker in enumerate(self.workers):
            if self.rng.random() < monthly_leaving:
                role = worker.role if worker.role == "Team Manager" else None
                self.workers[index] = self._hire(worker.service_area, worker.team, role)
        capacity = {name: weight for name, _, weight in config.ROLES}
        weights = np.array(
            [
                (0.12 if w.role == "Team Manager" else capacity[w.role])
                * w.fte
                * self.rng.gamma(8.0, 1 / 8.0)
                for w in self.workers
            ]
        )
        zero = self.rng.random(len(self.workers)) < 0.03  # off sick, new in post, or moved to other duties
        weights[zero] = 0
        cases = self.rng.multinomial(open_cases, weights / weights.sum())
        return list(zip(self.workers, cases.tolist(), strict=True))
