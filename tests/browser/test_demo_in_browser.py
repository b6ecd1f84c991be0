"""The demo district in a real browser: log in, switch language, read the org tree, upload a ledger.

The stack (demo server, Chromium page) is in tests/browser/stack.py.
"""

import pytest

from tests.browser.stack import (
    ARTIFACTS,
    DEMO_ADMIN,
    DEMO_PASSWORD,
    DEMO_TENANT,
    MISSING,
    REPO_ROOT,
    catalog_translates,
    login,
    sync_api,
)

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)
expect = sync_api.expect
pytestmark = pytest.mark.browser


def test_demo_login_language_switch_and_org_tree(demo_server, page):
    problems: list[str] = []

    def on_console(message) -> None:
        url = message.location.get("url", "")
        # Chromium asks for /favicon.ico on its own; the app has none, which is no page error.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            problems.append(f"console error: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    ARTIFACTS.mkdir(exist_ok=True)

    # The login page speaks Chinese by default.
    page.goto(f"{demo_server}/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    if catalog_translates("Log in to SafeGrid"):  # else the strings fall back to English
        expect(page.locator("h1")).to_contain_text("登录")
    page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)

    # Log in as the bureau admin and land on the start page.
    page.fill("input[name=tenant]", DEMO_TENANT)
    page.fill("input[name=username]", DEMO_ADMIN)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{demo_server}/")
    expect(page.locator("nav.mainnav")).to_be_visible()

    # Switch to English.
    page.locator("form.lang button[name=locale][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator("nav.mainnav")
    expect(nav).to_contain_text("Org tree")

    # The org tree lists the whole demo district.
    nav.get_by_role("link", name="Org tree").click()
    page.wait_for_url(f"{demo_server}/orgs/")
    tree = page.locator("table#org-tree")
    expect(tree).to_contain_text("青山县教育局")
    expect(tree).to_contain_text("城关镇第一小学")
    rows = tree.locator("tbody tr")
    assert rows.count() >= 60, f"only {rows.count()} rows in the org tree"
    page.screenshot(path=str(ARTIFACTS / "org-tree.png"), full_page=True)

    assert not problems, "browser reported errors:\n" + "\n".join(problems)


SAMPLE_LEDGER = REPO_ROOT / "tests" / "data" / "ledgers" / "城关镇第一小学_隐患排查治理台账_2026年3月.xlsx"


def test_school_uploads_a_ledger_and_moves_a_hazard_along(demo_server, page):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, demo_server, "cgyx_admin")

    # From the start page to the school's ledger, then to the upload page.
    page.locator("nav.records a").first.click()  # the hazard ledger
    page.locator("a[href$='/ledgers/upload']").click()
    page.set_input_files("input[type=file]", str(SAMPLE_LEDGER))
    page.locator("form[enctype] button[type=submit]").click()
    rows = page.locator("table#ledger-rows tbody tr")
    expect(rows).to_have_count(16)
    page.screenshot(path=str(ARTIFACTS / "ledger-preview.png"), full_page=True)
    page.locator("form[action*='/ledgers/'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    # The imported hazards are in the ledger: open one in March 2026 and start its rectification.
    page.goto(page.url.split("?")[0] + "?month=2026-03&status=open")
    first = page.locator("table#hazards tbody tr a").first
    first.click()
    page.locator("form.step-form:has(input[value=start]) button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("table#history")).to_contain_text("cgyx_admin")
    page.screenshot(path=str(ARTIFACTS / "hazard.png"), full_page=True)
    assert not problems, problems
