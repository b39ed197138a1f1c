"""CIN XML flattening: fields are read by local name, the first of a repeated field wins, blanks are
None, comments and unknown elements are ignored, and every module's rows keep their XML line."""

from __future__ import annotations

from pathlib import Path

from loaders.cin_census import flatten

XML = """<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://www.example.org/cin">
  <Header>
    <Collection>CIN</Collection>
    <Year>2024</Year>
    <ReferenceDate>2024-03-31</ReferenceDate>
    <Source><LEA>929</LEA></Source>
  </Header>
  <Children>
    <Child>
      <!-- a comment the loader must skip -->
      <ChildIdentifiers>
        <LAchildID>C1</LAchildID>
        <Sex>2</Sex>
        <GenderCurrent>  </GenderCurrent>
      </ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2023-05-01</CINreferralDate>
        <CINreferralDate>2023-06-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <Unknown>ignored</Unknown>
        <Assessments>
          <AssessmentActualStartDate>2023-05-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2023-05-20</AssessmentAuthorisationDate>
        </Assessments>
        <Assessments>
          <AssessmentActualStartDate>2023-09-01</AssessmentActualStartDate>
        </Assessments>
        <ChildProtectionPlans>
          <CPPstartDate>2023-06-10</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <Reviews>
            <CPPreviewDate>2023-09-10</CPPreviewDate>
            <CPPreviewDate> 2024-03-10 </CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2024-01-15</CINreferralDate>
        <CINclosureDate>2024-02-01</CINclosureDate>
        <ReasonForClosure>RC8</ReasonForClosure>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_flatten_reads_fields_by_local_name_first_one_winning(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(XML, encoding="utf-8")
    rows = flatten(path, "cin.xml").rows
    referrals = rows["cin_referrals"]
    assert [(r["referral_date"], r["closure_date"], r["reason_for_closure"]) for r in referrals] == [
        ("2023-05-01", None, None),
        ("2024-01-15", "2024-02-01", "RC8"),
    ]
    first = referrals[0]
    assert (first["child_id"], first["sex"], first["gender_current"], first["referral_source"]) == (
        "C1",
        "2",
        None,
        "1A",
    )
    assert (first["assessment_count"], first["section47_count"], first["cp_plan_count"]) == (2, 0, 1)
    assert referrals[1]["assessment_count"] == 0 and referrals[1]["sex"] == "2"
    assert [
        (a["assessment_start_date"], a["assessment_authorisation_date"]) for a in rows["cin_assessments"]
    ] == [
        ("2023-05-02", "2023-05-20"),
        ("2023-09-01", None),
    ]
    assert [a["referral_date"] for a in rows["cin_assessments"]] == ["2023-05-01", "2023-05-01"]
    (plan,) = rows["cin_cp_plans"]
    assert (plan["plan_start_date"], plan["plan_end_date"], plan["initial_category"]) == (
        "2023-06-10",
        None,
        "NEG",
    )
    assert [(r["review_date"], r["plan_start_date"]) for r in rows["cin_cp_reviews"]] == [
        ("2023-09-10", "2023-06-10"),
        ("2024-03-10", "2023-06-10"),
    ]
    lines = [
        first["line"],
        rows["cin_assessments"][0]["line"],
        plan["line"],
        rows["cin_cp_reviews"][1]["line"],
    ]
    assert lines == [17, 22, 29, 34]
