"""The dashboards in a real browser: Plotly draws under the CSP, and the numbers click through.

The stack (the demo district, whose loading builds the rollups, served by gunicorn; a
Chromium page) is in tests/browser/stack.py. Screenshots land in test-artifacts/.
"""

import pytest

from tests.browser.stack import ARTIFACTS, DEMO_ADMIN, MISSING, console_problems, login, sync_api

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)
expect = sync_api.expect
pytestmark = pytest.mark.browser

CHARTS = ("trend", "heatmap", "rates")


def _charts_drawn(page, charts) -> None:
    for key in charts:
        expect(page.locator(f"#chart-{key}.js-plotly-plot .main-svg").first).to_be_attached()


def test_bureau_dashboard_draws_charts_and_clicks_through_to_a_hazard(demo_server, page):
    problems = console_problems(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    login(page, demo_server, DEMO_ADMIN)

    # The nav's Dashboard link opens the bureau's dashboard, with its three charts drawn.
    page.locator("nav.mainnav a[href='/dashboards/']").click()
    page.wait_for_url("**/dashboards/*")
    _charts_drawn(page, CHARTS)
    expect(page.locator("#kpis .kpi")).to_have_count(6)
    expect(page.locator("#children-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard-bureau.png"), full_page=True)

    # Sorting a table in the page (dashboards.js) keeps every row.
    rows = page.locator("#children-table tbody tr").count()
    page.locator("#children-table thead th").nth(8).locator("button").click()
    expect(page.locator("#children-table thead th").nth(8)).to_have_attribute("aria-sort", "ascending")
    assert page.locator("#children-table tbody tr").count() == rows

    # Bureau → a central school (its name in the children table) → one of its schools.
    central = page.locator("#children-table tbody tr td:first-child a").filter(has_text="中心学校").first
    name = central.inner_text()
    central.click()
    expect(page.locator("h1")).to_contain_text(name)
    _charts_drawn(page, CHARTS)
    page.locator("#children-table tbody tr td:first-child a").first.click()
    expect(page.locator("#ledger-status")).to_be_visible()
    _charts_drawn(page, ("trend",))
    page.screenshot(path=str(ARTIFACTS / "dashboard-school.png"), full_page=True)

    # The school's "open hazards" number → its hazards → one hazard's page.
    shown = int(page.locator("#kpi-open_end a.num").inner_text())
    page.locator("#kpi-open_end a.num").click()
    expect(page.locator("#drill-hazards")).to_be_visible()
    assert page.locator("#drill-hazards tbody tr[data-hazard-id]").count() == min(shown, 50)
    if shown:
        page.locator("#drill-hazards tbody tr td:nth-child(2) a").first.click()
        page.wait_for_url("**/hazards/*")
    page.screenshot(path=str(ARTIFACTS / "dashboard-drill.png"), full_page=True)

    assert not problems, "browser reported problems:\n" + "\n".join(problems)


def test_print_view_draws_static_charts(demo_server, page):
    problems = console_problems(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    login(page, demo_server, DEMO_ADMIN)
    page.goto(f"{demo_server}/dashboards/")
    page.locator("#print-link").click()
    _charts_drawn(page, CHARTS)
    expect(page.locator("nav.mainnav")).to_have_count(0)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "dashboard-print.png"), full_page=True)
    page.pdf(path=str(ARTIFACTS / "dashboard-print.pdf"), format="A4")
    assert not problems, problems
