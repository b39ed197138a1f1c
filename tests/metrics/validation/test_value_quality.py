"""Data quality beside every value: the open validation findings whose indicators and months take
in a KPI row, as rule codes and children in the export (hand-made records, hand-computed counts)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from loaders.store import Writer
from metrics.export import export_frame
from metrics.validation import all_rules, run
from metrics.value_quality import value_findings
from tests.metrics.validation.cases_903 import ep
from tests.metrics.validation.conftest import LA, kpi_months, load

MONTHS = [date(2023, 4, 30), date(2023, 5, 31), date(2023, 6, 30), date(2023, 7, 31)]


def test_export_rows_carry_the_findings_of_their_indicator_and_month(store: Writer) -> None:
    load(store, [
        ep("2023-05-01", "2023-06-15", rec="", child="A"),  # 148: DEC without REC, May-June 2023
        ep("2023-05-01", rec="E11", child="B"),             # 148: open with REC, May 2023 on
        ep("2023-06-10", "2023-06-01", child="C"),          # 356: DEC before DECOM, June 2023
    ])
    kpi_months(store, "cla_rate", MONTHS)
    kpi_months(store, "re_referrals", MONTHS)  # a CIN measure: no 903 finding bears on it
    run(store, [r for r in all_rules() if r.return_name == "ssda903" and r.code in ("148", "356")])
    rows = export_frame(store, LA).set_index(["indicator_id", "period_end"])
    cla = rows.loc["cla_rate"]
    assert cla["dq_rule_codes"].tolist() == ["", "148", "148; 356", "148"]
    # May: A and B (148); June: A and B (148) plus C (356); July: B (A's episode has ended)
    assert cla["dq_children"].tolist() == [0, 2, 3, 1]
    assert (rows.loc["re_referrals", "dq_rule_codes"] == "").all()
    assert (rows.loc["re_referrals", "dq_children"] == 0).all()


def test_codes_in_code_order_errors_listed_first(store: Writer) -> None:
    month = date(2024, 3, 31)
    kpi_months(store, "long_term_stability", [month])
    findings = [("1000", "query", 4), ("434", "error", 1), ("388", "query", 2), ("503A", "error", 3)]
    store.insert_frame("validation_findings", pd.DataFrame({
        "rule_code": [c for c, _, _ in findings], "return_name": "ssda903", "la_code": LA,
        "collection_year": 2024, "severity": [s for _, s, _ in findings],
        "message": [f"wording of {c}" for c, _, _ in findings], "table_name": "episodes",
        "column_names": [["rne"]] * len(findings), "rows": 1, "children": [n for _, _, n in findings],
        "indicators": [["long_term_stability"]] * len(findings), "computed_at": datetime(2024, 5, 1),
    }))
    store.insert_frame("validation_finding_months", pd.DataFrame({
        "rule_code": [c for c, _, _ in findings], "la_code": LA, "indicator_id": "long_term_stability",
        "month_end": month, "rows": 1, "children": [n for _, _, n in findings],
    }))
    row = export_frame(store, LA).iloc[0]
    assert (row["dq_rule_codes"], row["dq_children"]) == ("388; 434; 503A; 1000", 10)
    listed = value_findings(store, LA, "long_term_stability", month)
    assert listed["rule_code"].tolist() == ["434", "503A", "388", "1000"]
    assert listed["message"].tolist()[0] == "wording of 434"
    assert value_findings(store, LA, "long_term_stability", date(2024, 2, 29)).empty


def test_no_findings_gives_blank_codes_and_zero_children(store: Writer) -> None:
    kpi_months(store, "cla_rate", MONTHS)
    rows = export_frame(store, LA)
    assert (rows["dq_rule_codes"] == "").all() and (rows["dq_children"] == 0).all()
