"""Sign-in for real: the app behind a local OpenID Connect provider, driven in headless Chromium.

The test starts `oidc-provider-mock` (a real OIDC provider with a login form) on a local port,
writes a secrets.toml with an [auth] section pointing at it and a roles file (one viewer, one
analyst), and runs `streamlit run app.py` with them. Each user signs in through the provider's
form in their own browser context. The viewer sees the aggregates but the upload is refused by the
data function (the store is unchanged); the analyst's upload of the same file loads.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from loaders.store import Reader
from tests.browser_support import CHROMIUM_ARGS, TEST_PORTS, free_port, running_app
from tests.conftest import assert_same_store, store_snapshot
from tests.pages.store_builder import LA, PLAN_CSV, build_small_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

VIEWER = "vera.viewer@council.gov.uk"
ANALYST = "ann.analyst@council.gov.uk"


@dataclass
class SignedInApp:
    url: str
    store: Path
    upload: Path  # an improvement-plan CSV to upload


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedInApp]:
    if shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); the sign-in test needs it")
    oidc_provider_mock = pytest.importorskip(
        "oidc_provider_mock", reason="oidc-provider-mock is not installed (requirements-dev.txt)"
    )
    folder = tmp_path_factory.mktemp("oidc")
    store = build_small_store(folder / "dashboard.duckdb", with_plan=False)
    upload = folder / "plan.csv"
    upload.write_text(PLAN_CSV)
    users = [
        oidc_provider_mock.User(sub=email, claims={"email": email, "name": email.split(".")[0].title()})
        for email in (VIEWER, ANALYST)
    ]
    with ExitStack() as stack:
        provider_port = free_port(TEST_PORTS)
        provider = stack.enter_context(
            oidc_provider_mock.run_server_in_thread(port=provider_port, user_claims=users)
        )
        issuer = f"http://localhost:{provider.server_port}"
        app_port = free_port(TEST_PORTS, taken={provider.server_port})
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{app_port}/oauth2callback"\n'
            'cookie_secret = "a test cookie secret that is long enough to sign with"\n'
            'client_id = "csc-dashboard"\n'
            'client_secret = "a test client secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        )
        roles = folder / "roles.toml"
        roles.write_text(f'default = "viewer"\n[users]\n"{VIEWER}" = "viewer"\n"{ANALYST}" = "analyst"\n')
        url = stack.enter_context(
            running_app(
                app_port,
                {"CSC_DB": str(store), "CSC_ROLES": str(roles)},
                folder / "streamlit.log",
                host="localhost",
                extra_args=("--secrets.files", str(secrets)),
            )
        )
        yield SignedInApp(url=url, store=store, upload=upload)


@pytest.fixture(scope="module")
def browser(app: SignedInApp) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _sign_in(browser: Browser, app: SignedInApp, email: str) -> Page:
    """A page in a fresh browser context, signed in as `email` through the provider's form."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(app.url)
    expect(page.get_by_text("Sign in with your council account")).to_be_visible(timeout=30000)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("http://localhost:*/oauth2/authorize*", timeout=20000)  # the provider's form
    page.get_by_placeholder("sub").first.fill(email)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible(timeout=30000)
    return page


def _upload(page: Page, app: SignedInApp) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app.url}/data?la={LA}")
    expect(page.get_by_text("What is loaded")).to_be_visible(timeout=30000)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(app.upload))
    expect(page.get_by_text("plan.csv").first).to_be_visible(timeout=10000)
    page.get_by_role("button", name="Load", exact=True).click()


def test_a_viewer_signs_in_sees_aggregates_and_cannot_upload(app: SignedInApp, browser: Browser) -> None:
    from playwright.sync_api import expect

    page = _sign_in(browser, app, VIEWER)
    try:
        expect(page.get_by_text(f"Signed in as {VIEWER} (viewer)")).to_be_visible()
        # back from the provider on the Overview: the store's LA's scorecard
        expect(page.get_by_text("1 green, 0 amber, 1 red").first).to_be_visible(timeout=30000)
        before = store_snapshot(app.store)
        _upload(page, app)
        expect(page.get_by_text("Loading files needs the analyst role; you are signed in as")).to_be_visible(
            timeout=20000
        )
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        assert_same_store(before, store_snapshot(app.store))
        assert not Reader(app.store).has_table("improvement_plan")
    finally:
        page.context.close()


def test_an_analyst_signs_in_and_the_same_upload_loads(app: SignedInApp, browser: Browser) -> None:
    from playwright.sync_api import expect

    page = _sign_in(browser, app, ANALYST)
    try:
        expect(page.get_by_text(f"Signed in as {ANALYST} (analyst)")).to_be_visible()
        _upload(page, app)
        expect(page.get_by_text("Loaded.", exact=True)).to_be_visible(timeout=30000)
        assert len(Reader(app.store).query("select * from improvement_plan")) == 3
        entries = Reader(app.store).query("select user_name, action from audit_log where action = 'load'")
        assert ANALYST in set(entries["user_name"])
    finally:
        page.context.close()
