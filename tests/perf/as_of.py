"""Rewrite return files as they would have been extracted on an earlier date.

The scale benchmark needs "last month's files" and "this month's files" of the same simulated
world: it generates the world once and cuts the current year's files back to the previous month
end. Records that start after the cut are dropped; end dates after it are blanked (the episode,
referral or plan was still open then). Used only by the benchmark; works on the synthetic files.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from lxml import etree

# CIN census: a block is dropped when its start date is after the cut; these end dates are removed.
CIN_BLOCK_STARTS = {
    "CINdetails": "CINreferralDate",
    "Assessments": "AssessmentActualStartDate",
    "CINPlanDates": "CINPlanStartDate",
    "Section47": "S47ActualStartDate",
    "ChildProtectionPlans": "CPPstartDate",
}
CIN_END_DATES = {
    "CINclosureDate": ("ReasonForClosure",),
    "AssessmentAuthorisationDate": (),
    "CINPlanEndDate": (),
    "DateOfInitialCPC": (),
    "CPPendDate": (),
    "CPPreviewDate": (),
}


def _day(text: str | None, dayfirst: bool) -> date | None:
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y" if dayfirst else "%Y-%m-%d").date()
    except ValueError:
        return None


def ssda903_as_of(source: Path, target: Path, cut: date) -> None:
    """An SSDA903 CSV table as at `cut` (episodes and OC3 rows after it dropped, DEC blanked)."""
    with open(source, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys()) if rows else []
    kept = []
    for row in rows:
        if "DECOM" in row:
            start = _day(row["DECOM"], True)
            if start is not None and start > cut:
                continue
            end = _day(row.get("DEC"), True)
            if end is not None and end > cut:
                row.update({"DEC": "", "REC": "", "REASON_PLACE_CHANGE": ""})
        kept.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buffer.getvalue(), encoding="utf-8")


def cin_as_of(source: Path, target: Path, cut: date) -> None:
    """A CIN census XML as at `cut`: later blocks dropped, later end dates removed."""
    tree = etree.parse(str(source))
    root = tree.getroot()
    for element in root.iter("ReferenceDate"):
        element.text = cut.isoformat()
    for block, start_tag in CIN_BLOCK_STARTS.items():
        for element in list(root.iter(block)):
            start = _day(element.findtext(start_tag), False)
            if start is not None and start > cut:
                element.getparent().remove(element)
    for tag, companions in CIN_END_DATES.items():
        for element in list(root.iter(tag)):
            end = _day(element.text, False)
            if end is not None and end > cut:
                parent = element.getparent()
                parent.remove(element)
                for companion in companions:
                    for other in parent.findall(companion):
                        parent.remove(other)
    for reviews in list(root.iter("Reviews")):
        if len(reviews) == 0:
            reviews.getparent().remove(reviews)
    for child in list(root.iter("Child")):
        if child.find("CINdetails") is None:
            child.getparent().remove(child)
    target.parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(target), xml_declaration=True, encoding="utf-8")
