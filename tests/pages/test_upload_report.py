"""The upload report: each problem once, under its file; markdown in names shown literally."""

from __future__ import annotations

from pages.components.upload_report import escape_markdown, upload_result


def test_a_failed_batch_lists_each_problem_once_under_its_file() -> None:
    first = "a.csv: row 3, column fte: not a number (found 'x'; expected a number of FTE)"
    second = "b.csv: row 2, column team: missing (expected a team name)"
    stop = "a.csv, b.csv: the load stopped unexpectedly (KeyError); nothing was changed"
    result = upload_result(
        False,
        [
            ("failed: a.csv (caseload_list, 0 rows)", [first]),
            ("failed: b.csv (caseload_list, 0 rows)", [second]),
        ],
        [first, second, stop],
    )
    assert result.problems == [first, second, stop]
    assert result.lines == [
        "failed: a.csv (caseload_list, 0 rows)",
        f"    {first}",
        "failed: b.csv (caseload_list, 0 rows)",
        f"    {second}",
        stop,
    ]
    shown = result.markdown()
    assert shown.count("not a number") == 1 and shown.count("missing (expected a team name)") == 1
    assert shown.splitlines()[1].startswith("    - a.csv: row 3, column fte")


def test_a_loaded_batch_has_no_problems_but_keeps_its_findings() -> None:
    finding = "book.xlsx: cell C4: a value above 100% (expected a percentage)"
    result = upload_result(True, [("loaded: book.xlsx (performance_workbook, 12 rows)", [finding])], [])
    assert result.problems == []
    assert finding in result.markdown()


def test_markdown_in_a_file_name_is_shown_literally() -> None:
    assert escape_markdown("my_file *draft* [link](x) $5.csv") == r"my\_file \*draft\* \[link\](x) \$5.csv"
    assert escape_markdown("1. plan.csv") == r"1\. plan.csv"
    assert escape_markdown("- plan.csv") == r"\- plan.csv"
