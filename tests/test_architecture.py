"""The layering rules, checked: loaders and metrics never import the UI (import-linter), and pages
stay thin (no SQL, no groupby, no KPI arithmetic: they call pages/components)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "pages").glob("*.py"))


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip(
            "import-linter is not installed in this environment (pip install -r requirements-dev.txt)"
        )
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or "0 broken" in result.stdout.lower()


def test_there_are_eight_pages() -> None:
    assert {p.stem for p in PAGES} == {
        "overview",
        "indicator",
        "neighbours",
        "caseloads",
        "improvement_plan",
        "data",
        "export",
        "reports",
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_hold_no_sql_groupby_or_store_access(page: Path) -> None:
    code = "\n".join(line for line in page.read_text().splitlines() if not line.lstrip().startswith("#"))
    strings = re.findall(r"\"[^\"]*\"|'[^']*'", code)
    for text in strings:
        assert not re.search(r"\bselect\b.+\bfrom\b", text, re.IGNORECASE), f"SQL in {page.name}: {text}"
    assert ".groupby(" not in code and ".pivot" not in code and ".agg(" not in code
    assert "duckdb" not in code and "Reader(" not in code and ".query(" not in code
    assert "import plotly" not in code  # charts come from pages/components/charts.py


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_are_short(page: Path) -> None:
    lines = [line for line in page.read_text().splitlines() if line.strip()]
    assert len(lines) <= 90, f"{page.name} has {len(lines)} lines: move logic into pages/components"


def test_pages_run_inside_the_page_guard() -> None:
    for page in PAGES:
        assert "with page_guard(" in page.read_text(), page.name


@pytest.mark.parametrize(
    "module", sorted((ROOT / "pages" / "components").glob("*.py")), ids=lambda p: p.name
)
def test_ui_components_hold_no_sql(module: Path) -> None:
    """The UI layer reads the store only through loaders/ and metrics/ functions."""
    for text in re.findall(r"\"[^\"]*\"|'[^']*'", module.read_text()):
        assert not re.search(r"\bselect\b.+\bfrom\b", text, re.IGNORECASE), f"SQL in {module.name}: {text}"
