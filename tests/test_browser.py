"""The real app in headless Chromium: every page opens, a filter changes, the CSV downloads.

Drives `streamlit run app.py` on a free port against a small store built here (CSC_DB) and saves a
full-page screenshot of every page at 1440 and 800 px wide into tests/screenshots/ (gitignored,
written afresh by each run: `overview-1440.png`, `overview-800.png`, ...) for a person to look at.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.store import Reader, write_session
from metrics import benchmarks
from metrics.export import export_frame
from tests.browser_support import CHROMIUM_ARGS, ROOT, free_port, running_app
from tests.pages.store_builder import LA, benchmark_rows, build_small_store

pytestmark = pytest.mark.browser

PUBLISHED_ONLY_LA = "830"
SCREENSHOTS = ROOT / "tests" / "screenshots"
# url path -> a text shown near the end of the page once it has drawn
PAGES = {
    "overview": "Download the scorecard (CSV)",
    "indicator": "Data-quality notes for these months",
    "neighbours": "Quartile (A = best)",
    "caseloads": "Caseloads against the role standards",
    "improvement_plan": "Linked indicators",
    "data": "Data-quality findings",
    "export": "Download CSV",
    "reports": "Build the DOCX and PDF",
}
WIDTHS = (1440, 800)  # a desktop and a narrow window (half a laptop screen)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); the browser test needs it")
    folder = tmp_path_factory.mktemp("browser")
    store = build_small_store(folder / "dashboard.duckdb")
    with write_session(store) as writer:  # Derbyshire (830): published figures only, no records
        derbyshire = benchmark_rows().head(1).assign(area_code=PUBLISHED_ONLY_LA, value=20.5)
        writer.insert_frame("benchmark_values", derbyshire)
        benchmarks.refresh_benchmark_summary(writer, force=True)
    with running_app(free_port(), {"CSC_DB": str(store)}, folder / "streamlit.log") as url:
        yield url, store


@pytest.fixture(scope="module")
def browser_page(server: tuple[str, Path]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        yield page
        context.close()
        browser.close()


def whole_page_screenshot(page: object, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main section, not the document,
    so the window is made as tall as that section's content first (full_page alone stops at the
    window's height), then put back."""
    from playwright.sync_api import Page

    shown: Page = page  # type: ignore[assignment]
    size = shown.viewport_size or {"width": 1400, "height": 1000}
    tallest = shown.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    shown.set_viewport_size({"width": size["width"], "height": max(size["height"], int(tallest))})
    shown.wait_for_timeout(1500)  # charts redraw at the new size
    shown.screenshot(path=str(path), full_page=True, timeout=120000)  # slow on a busy machine
    shown.set_viewport_size(size)


def test_every_page_opens_without_an_error(server: tuple[str, Path], browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    url, _ = server
    page: Page = browser_page  # type: ignore[assignment]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        for path, last_text in PAGES.items():
            page.goto(f"{url}/{path}?la={LA}")
            expect(page.get_by_text(last_text).first).to_be_visible(timeout=30000)
            page.wait_for_timeout(2000)  # let the charts draw
            expect(page.locator("[data-testid='stException']")).to_have_count(0)
            whole_page_screenshot(page, SCREENSHOTS / f"{path}-{width}.png")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{url}/overview?la={LA}")
    expect(page.get_by_text("1 green, 0 amber, 1 red").first).to_be_visible(timeout=20000)


def test_a_filter_change_goes_into_the_url(server: tuple[str, Path], browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    url, _ = server
    page: Page = browser_page  # type: ignore[assignment]
    page.goto(f"{url}/indicator?la={LA}&indicator=repeat_cp_plans")
    expect(page.get_by_text("Year to date").first).to_be_visible(timeout=20000)
    page.get_by_text("Year to date").first.click()
    page.wait_for_function("() => window.location.search.includes('period=ytd')", timeout=20000)
    expect(page.get_by_text("10.8%").first).to_be_attached(timeout=20000)  # 23 of 213 by September
    page.screenshot(path=str(SCREENSHOTS / "indicator-ytd.png"), full_page=True)


def test_export_downloads_exactly_the_filtered_rows(server: tuple[str, Path], browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    url, store = server
    page: Page = browser_page  # type: ignore[assignment]
    page.goto(f"{url}/export?la={LA}&type=month")
    button = page.get_by_role("button", name="Download CSV")
    expect(button).to_be_visible(timeout=20000)
    with page.expect_download(timeout=20000) as download_info:
        button.click()
    content = Path(download_info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    expected = export_frame(Reader(store), LA, period_type="month")
    assert len(rows) == len(expected)
    assert {r["period_type"] for r in rows} == {"month"}
    assert {r["indicator_id"] for r in rows} == set(expected["indicator_id"])


def test_a_published_only_la_shows_its_published_values(
    server: tuple[str, Path], browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    url, _ = server
    page: Page = browser_page  # type: ignore[assignment]
    page.goto(f"{url}/overview?la={PUBLISHED_ONLY_LA}")
    expect(page.get_by_text("has no records of its own in this store").first).to_be_visible(timeout=20000)
    expect(page.get_by_text("Derbyshire (830)").first).to_be_visible(timeout=20000)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    # the grid's accessible cells: 830's published value and England's, from the store built above
    expect(page.get_by_text("20.5%", exact=True).first).to_be_attached(timeout=20000)
    expect(page.get_by_text("23.6%", exact=True).first).to_be_attached(timeout=20000)
    # the page's last element drawn, so the screenshot holds the whole page, table included
    expect(page.get_by_text("Open Government Licence v3.0").first).to_be_visible(timeout=20000)
    page.screenshot(path=str(SCREENSHOTS / "overview-published-only.png"), full_page=True)
    assert f"la={PUBLISHED_ONLY_LA}" in page.url


def test_the_chosen_la_stays_through_a_page_switch(server: tuple[str, Path], browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    url, _ = server
    page: Page = browser_page  # type: ignore[assignment]
    page.goto(f"{url}/overview?la={PUBLISHED_ONLY_LA}&sn=2021")
    la_box = page.get_by_role("combobox", name="Local authority")
    model_box = page.get_by_role("combobox", name="Statistical neighbour model")
    expect(la_box).to_have_value("Derbyshire (830)", timeout=20000)
    page.get_by_role("link", name="Neighbours and all LAs").click()  # the sidebar's page link
    page.wait_for_url("**/neighbours**", timeout=20000)
    page.wait_for_function(
        f"() => window.location.search.includes('la={PUBLISHED_ONLY_LA}')"
        " && window.location.search.includes('sn=2021')",
        timeout=20000,
    )
    expect(la_box).to_have_value("Derbyshire (830)", timeout=20000)
    expect(model_box).to_have_value("2021 model", timeout=20000)
