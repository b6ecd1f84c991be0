"""Each level's dashboard shows the right figures for hazards of known dates and statuses."""

import re

import pytest

from schools.submissions.due import add_months
from tests.bureau.dashboards.helpers import login, month


def kpi(body: str, key: str) -> str:
    """The number shown on a KPI tile."""
    tile = re.search(rf'id="kpi-{key}">(.*?)</li>', body, re.S).group(1)
    return re.sub(r"<[^>]+>", "", re.search(r'class="kpi-value">(.*?)</strong>', tile, re.S).group(1)).strip()


def row_cells(body: str, row_id: str) -> list[str]:
    """The texts of a table row's cells."""
    row = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', body, re.S).group(1)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_bureau_dashboard_figures(web, district):
    orgs = district.orgs
    login(web, district, "admin")
    body = web.get(f"/dashboards/{orgs['ALPHA']}").get_data(as_text=True)
    # S11, S12, S21 and D1 are schools; the central schools and the grade group are not.
    assert kpi(body, "schools") == "4"
    assert kpi(body, "open_end") == "4"  # h_overdue, h_major, h_food, h_c2
    assert kpi(body, "overdue_end") == "2"  # h_overdue, h_c2
    assert kpi(body, "major_open_end") == "1"  # h_major
    assert kpi(body, "rectification_rate") == "33.3%"  # 2 of the 6 found are rectified
    assert kpi(body, "report_rate") == "—"  # no report due yet: no denominator
    # One row per child unit, in code order: C1, C2, D1.
    c1 = row_cells(body, f"child-{orgs['C1']}")
    assert c1[0].startswith("城关镇中心学校")
    assert c1[1:11] == ["5", "2", "40.0%", "50.0%", "5.0", "≤ 7", "3", "1", "1", "—"]
    d1 = row_cells(body, f"child-{orgs['D1']}")
    assert d1[1:4] == ["0", "0", "—"]
    # Each child's name opens its own dashboard with the same months.
    first = month(add_months(district.m0, -11))
    assert f'href="/dashboards/{orgs["C1"]}?from={first}&amp;to={month(district.m0)}"' in body
    # Top overdue schools, the supervision list and the three charts.
    top = body.split('id="top-overdue"')[1].split("</section>")[0]
    assert "城关镇第一小学" in top and "河口镇中心小学" in top
    supervision = body.split('id="supervision"')[1].split("</section>")[0]
    assert f"/hazards/{district.ids['h_major']}" in supervision
    for chart in ("trend", "heatmap", "rates"):
        assert f'<script type="application/json" id="figure-{chart}">' in body


def test_central_school_dashboard_has_its_schools_and_review_queue(web, district):
    orgs = district.orgs
    login(web, district, "reviewer1")
    body = web.get(f"/dashboards/{orgs['C1']}").get_data(as_text=True)
    assert kpi(body, "schools") == "2"
    assert kpi(body, "open_end") == "3"
    s11, s12 = row_cells(body, f"child-{orgs['S11']}"), row_cells(body, f"child-{orgs['S12']}")
    assert s11[1:3] == ["4", "2"] and s11[7:9] == ["2", "1"]
    assert s12[1:3] == ["1", "0"] and s12[7] == "1"
    assert "reports to review" in body and "escalated hazards" in body
    assert "/review/reports?status=submitted" in body
    assert f"/review/escalations/?unit={orgs['C1']}" in body
    # Its schools' dashboards are one click away; C2's subtree is not on the page.
    assert f'href="/dashboards/{orgs["S11"]}?' in body
    assert "河口镇" not in body


def test_school_dashboard_shows_ledger_deadlines_overdue_and_reports(web, district):
    orgs, ids = district.orgs, district.ids
    login(web, district, "school11")
    body = web.get(f"/dashboards/{orgs['S11']}").get_data(as_text=True)
    status = body.split('id="ledger-status"')[1].split("</section>")[0]
    counts = {code: int(num) for code, num in re.findall(r'hazards/\?status=(\w+)">(\d+)</a>', status)}
    assert counts == {"open": 2, "rectifying": 0, "escalated": 0, "rectified": 1, "verified": 1}
    due = body.split('id="due-this-week"')[1].split("</section>")[0]
    assert f"/hazards/{ids['h_major']}" in due and f"/hazards/{ids['h_overdue']}" not in due
    overdue = body.split('id="overdue-items"')[1].split("</section>")[0]
    assert f"/hazards/{ids['h_overdue']}" in overdue and f"/hazards/{ids['h_major']}" not in overdue
    assert 'id="grid-coverage"' in body and 'id="report-status"' in body
    assert kpi(body, "open_end") == "2" and kpi(body, "overdue_end") == "1"
    assert 'id="kpi-schools"' not in body


def test_dashboard_index_opens_the_highest_unit_of_the_user(web, district):
    login(web, district, "reviewer1")
    response = web.get("/dashboards/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dashboards/{district.orgs['C1']}")


def test_start_page_and_nav_link_to_the_dashboards(web, district):
    login(web, district, "reviewer1")
    body = web.get("/").get_data(as_text=True)
    assert f'href="/dashboards/{district.orgs["C1"]}"' in body
    assert 'href="/dashboards/"' in body


def test_print_view_has_no_navigation_or_filters(web, district):
    login(web, district, "admin")
    body = web.get(f"/dashboards/{district.orgs['ALPHA']}/print?category=fire").get_data(as_text=True)
    assert 'class="mainnav"' not in body and 'id="dashboard-filters"' not in body
    assert 'class="dash-print"' in body and 'id="figure-trend"' in body
    assert '<a class="num"' not in body  # numbers are plain text on paper


@pytest.mark.parametrize("endpoint", ["", "/print"])
def test_chart_pages_allow_inline_styles_but_never_inline_scripts(web, district, endpoint):
    login(web, district, "admin")
    response = web.get(f"/dashboards/{district.orgs['ALPHA']}{endpoint}")
    policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    body = response.get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*(?:src=|type=\"application/json\"))", body) == []
    other = web.get(f"/dashboards/{district.orgs['ALPHA']}/hazards").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in other


def test_plotly_is_served_locally_with_long_caching(web, district):
    login(web, district, "viewer")
    body = web.get(f"/dashboards/{district.orgs['ALPHA']}").get_data(as_text=True)
    assert 'src="/static/vendor/plotly.min.js?v=' in body and "cdn" not in body.lower()
    response = web.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.get_data()[:200].decode().find("plotly.js") >= 0
