"""Writing the synthetic records in the real inputs' formats, one LA and year at a time.

- SSDA903: `YYYY-header.csv`, `YYYY-episodes.csv`, `YYYY-oc3.csv` as in the DfE sample returns,
  YYYY being the calendar year in which the collection year (1 April - 31 March) starts; a return
  holds every episode open at some time in its year, so episodes spanning the year end appear in
  consecutive years, with DEC blank while they were still open at the year's end (or extract date).
- CIN census: `cin-YYYY.xml`, YYYY the census year (ending 31 March), in the element order of the
  DfE XSD, LEA in the header; episodes open at some time in the year, cut at the reference date.
- Caseload lists: `caseload-YYYY-MM-DD.csv`, one per month end.
- ONS population: the EES tidy CSV columns.
Every writer sorts its rows, so the same records always give the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from loaders.synthetic.calendar import as_date, birthday
from loaders.synthetic.children_in_need import CinChild, CinEpisode
from loaders.synthetic.looked_after import LookedAfterChild
from loaders.synthetic.workforce import Worker

HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODE_COLUMNS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
OC3_COLUMNS = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
CASELOAD_COLUMNS = ["date", "worker_id", "team", "role", "fte", "agency", "cases", "service_area"]
POPULATION_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "age_group",
    "population_estimate",
]


@lru_cache(maxsize=65536)
def dmy(number: int) -> str:
    return as_date(number).strftime("%d/%m/%Y")


@lru_cache(maxsize=65536)
def iso(number: int) -> str:
    return as_date(number).isoformat()


def write_csv(path: Path, columns: list[str], rows: Iterable[list[str]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def ssda903_year(
    children: list[LookedAfterChild],
    year_start: int,
    extract: date,
) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """(header, episodes, oc3) rows of the return for the year starting 1 April `year_start`."""
    first = date(year_start, 4, 1).toordinal()
    last = min(date(year_start + 1, 3, 31), extract).toordinal()
    header, episodes, oc3 = [], [], []
    for child in children:
        if child.start > last:
            continue
        rows = []
        for episode in child.episodes:
            if episode.decom > last or (episode.dec is not None and episode.dec < first):
                continue
            ended = episode.dec is not None and episode.dec <= last
            rows.append(
                [
                    child.child,
                    dmy(episode.decom),
                    episode.rne,
                    episode.ls,
                    episode.cin,
                    episode.place,
                    episode.provider,
                    dmy(episode.dec) if ended and episode.dec is not None else "",
                    (episode.rec or "") if ended else "",
                    (episode.reason_place_change or "") if ended else "",
                    "",
                    "",
                    episode.urn,
                ]
            )
        if rows:
            episodes.extend(rows)
            header.append([child.child, child.sex, dmy(child.dob), child.ethnic, child.upn, "", ""])
        for age, (in_touch, activ, accom) in sorted(child.oc3.items()):
            if first <= birthday(child.dob, age) <= last:
                oc3.append([child.child, dmy(child.dob), in_touch, activ, accom])
    return header, episodes, oc3


def _element(lines: list[str], indent: int, tag: str, value: str | None) -> None:
    if value is not None and value != "":
        lines.append(f"{'  ' * indent}<{tag}>{value}</{tag}>")


def _episode_xml(lines: list[str], episode: CinEpisode, reference: int) -> None:
    def cut(number: int | None) -> str | None:
        return iso(number) if number is not None and number <= reference else None

    lines.append("      <CINdetails>")
    _element(lines, 4, "CINreferralDate", iso(episode.referral))
    _element(lines, 4, "ReferralSource", episode.source)
    _element(lines, 4, "PrimaryNeedCode", episode.need)
    closed = episode.closure <= reference
    _element(lines, 4, "CINclosureDate", cut(episode.closure))
    _element(lines, 4, "ReasonForClosure", episode.closure_reason if closed else None)
    for assessment in episode.assessments:
        if assessment.start > reference:
            continue
        lines.append("        <Assessments>")
        _element(lines, 5, "AssessmentActualStartDate", iso(assessment.start))
        _element(lines, 5, "AssessmentAuthorisationDate", cut(assessment.authorised))
        lines.append("        </Assessments>")
    if episode.cin_plan is not None and episode.cin_plan[0] <= reference:
        lines.append("        <CINPlanDates>")
        _element(lines, 5, "CINPlanStartDate", iso(episode.cin_plan[0]))
        _element(lines, 5, "CINPlanEndDate", cut(episode.cin_plan[1]))
        lines.append("        </CINPlanDates>")
    for enquiry in episode.section47s:
        if enquiry.start > reference:
            continue
        lines.append("        <Section47>")
        _element(lines, 5, "S47ActualStartDate", iso(enquiry.start))
        _element(lines, 5, "InitialCPCtarget", iso(enquiry.icpc_target))
        held = cut(enquiry.icpc)
        _element(lines, 5, "DateOfInitialCPC", held)
        not_required = enquiry.icpc is None and (enquiry.start + 30 <= reference)
        _element(lines, 5, "ICPCnotRequired", "true" if not_required else "false")
        lines.append("        </Section47>")
    _element(lines, 4, "ReferralNFA", "true" if episode.nfa else "false")
    for plan in episode.plans:
        if plan.start > reference:
            continue
        lines.append("        <ChildProtectionPlans>")
        _element(lines, 5, "CPPstartDate", iso(plan.start))
        _element(lines, 5, "CPPendDate", cut(plan.end))
        _element(lines, 5, "InitialCategoryOfAbuse", plan.initial_category)
        _element(lines, 5, "LatestCategoryOfAbuse", plan.latest_category)
        _element(lines, 5, "NumberOfPreviousCPP", str(plan.previous_plans))
        reviews = [r for r in plan.reviews if r <= reference]
        if reviews:
            lines.append("          <Reviews>")
            for review in reviews:
                _element(lines, 6, "CPPreviewDate", iso(review))
            lines.append("          </Reviews>")
        lines.append("        </ChildProtectionPlans>")
    lines.append("      </CINdetails>")


def cin_census_xml(children: list[CinChild], la_code: str, census_year: int, extract: date) -> str:
    """The census for the year ending 31 March `census_year` (or to `extract`, if earlier)."""
    reference_day = min(date(census_year, 3, 31), extract)
    reference = reference_day.toordinal()
    first = date(census_year - 1, 4, 1).toordinal()
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<Message>",
        "  <Header>",
        "    <CollectionDetails>",
        "      <Collection>CIN</Collection>",
        f"      <Year>{census_year}</Year>",
        f"      <ReferenceDate>{reference_day.isoformat()}</ReferenceDate>",
        "    </CollectionDetails>",
        "    <Source>",
        "      <SourceLevel>L</SourceLevel>",
        f"      <LEA>{la_code}</LEA>",
        "      <SoftwareCode>Synthetic data generator</SoftwareCode>",
        "      <Release>1</Release>",
        "      <SerialNo>001</SerialNo>",
        f"      <DateTime>{reference_day.isoformat()}T09:00:00</DateTime>",
        "    </Source>",
        "  </Header>",
        "  <Children>",
    ]
    for child in children:
        episodes = [e for e in child.episodes if e.referral <= reference and e.closure >= first]
        if not episodes:
            continue
        lines.append("    <Child>")
        lines.append("      <ChildIdentifiers>")
        _element(lines, 4, "LAchildID", child.child)
        _element(lines, 4, "UPN", child.upn)
        _element(lines, 4, "PersonBirthDate", iso(child.dob))
        _element(lines, 4, "GenderCurrent", child.gender)
        lines.append("      </ChildIdentifiers>")
        lines.append("      <ChildCharacteristics>")
        _element(lines, 4, "Ethnicity", child.ethnic)
        if child.disabilities:
            lines.append("        <Disabilities>")
            for disability in child.disabilities:
                _element(lines, 5, "Disability", disability)
            lines.append("        </Disabilities>")
        lines.append("      </ChildCharacteristics>")
        for episode in episodes:
            _episode_xml(lines, episode, reference)
        lines.append("    </Child>")
    lines += ["  </Children>", "</Message>", ""]
    return "\n".join(lines)


def caseload_rows(when: date, allocation: list[tuple[Worker, int]]) -> list[list[str]]:
    rows = [
        [
            when.strftime("%d/%m/%Y"),
            w.worker_id,
            w.team,
            w.role,
            f"{w.fte:.1f}",
            "Y" if w.agency else "N",
            str(cases),
            w.service_area,
        ]
        for w, cases in allocation
    ]
    return sorted(rows, key=lambda r: (r[2], r[1]))


def population_rows(la: dict[str, str], estimates: dict[int, int]) -> list[list[str]]:
    return [
        [
            str(year),
            "Reporting year",
            "Local authority",
            "E92000001",
            "England",
            la["region_code"],
            la["region_name"],
            la["la_code"],
            la["new_la_code"],
            la["la_name"],
            "Children aged 0 to 17 years",
            str(value),
        ]
        for year, value in sorted(estimates.items(), reverse=True)
    ]
