"""Filters live in the URL (a bookmark reproduces the view); tables download as Excel."""

import io
import re

import pytest
from openpyxl import load_workbook

from schools.submissions.due import add_months
from tests.bureau.dashboards.helpers import login, month


def test_filters_round_trip_through_the_url(web, district):
    login(web, district, "admin")
    first, last = month(district.m1), month(district.m1)
    query = f"from={first}&to={last}&category=fire&level=general&kind=primary&ownership=public"
    body = web.get(f"/dashboards/{district.orgs['ALPHA']}?{query}").get_data(as_text=True)
    form = body.split('id="dashboard-filters"')[1].split("</form>")[0]
    assert f'name="from" value="{first}"' in form and f'name="to" value="{last}"' in form
    for value in ("fire", "general", "primary", "public"):
        assert f'value="{value}" selected' in form
    # Links keep the view: a child's dashboard, the drill-down, the exports and the print view.
    kept = query.replace("&", "&amp;")
    assert f'href="/dashboards/{district.orgs["C1"]}?{kept}"' in body
    assert f"/dashboards/{district.orgs['C1']}/hazards?measure=found&amp;{kept}" in body
    assert f"/export.xlsx?table=children&amp;{kept}" in body
    assert f"/print?{kept}" in body
    assert 'id="from-records"' in body  # the note: computed from the records
    # The same URL gives the same page (a bookmark reproduces the view).
    again = web.get(f"/dashboards/{district.orgs['ALPHA']}?{query}").get_data(as_text=True)
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", again) == strip.sub("", body)


def test_unfiltered_view_reads_the_rollups(web, district):
    login(web, district, "admin")
    body = web.get(f"/dashboards/{district.orgs['ALPHA']}").get_data(as_text=True)
    assert 'id="from-records"' not in body


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-13&to=garbage",
        "from=&to=",
        "category=<script>&level=huge&kind=castle&ownership=both",
        "from=1900-01&to=9999-12",
        "measure=nonsense&page=-3&per_page=abc&sort=;drop",
        "from=%00&category=%ff",
    ],
)
def test_bad_filter_values_fall_back_to_the_defaults(web, district, query):
    login(web, district, "admin")
    unit = district.orgs["ALPHA"]
    for path in (f"/dashboards/{unit}", f"/dashboards/{unit}/hazards", f"/dashboards/{unit}/print"):
        response = web.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)
    export = web.get(f"/dashboards/{unit}/export.xlsx?table=nope&{query}")
    assert export.status_code == 200
    body = web.get(f"/dashboards/{unit}?category=<script>").get_data(as_text=True)
    assert "<script>" not in body.split('id="dashboard-filters"')[1]


def test_months_in_the_wrong_order_are_put_in_order(web, district):
    login(web, district, "admin")
    first, last = month(add_months(district.m0, -3)), month(district.m1)
    body = web.get(f"/dashboards/{district.orgs['ALPHA']}?from={last}&to={first}").get_data(as_text=True)
    assert f'name="from" value="{first}"' in body and f'name="to" value="{last}"' in body


def _sheet(web, path: str):
    response = web.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.get_data())).active


def test_children_export(web, district):
    login(web, district, "admin")
    sheet = _sheet(web, f"/dashboards/{district.orgs['ALPHA']}/export.xlsx?table=children")
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Code", "Unit", "Kind", "Hazards found", "Rectified"]
    assert sheet.freeze_panes == "A2"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"C1", "C2", "D1"}
    c1 = dict(zip(header, rows["C1"], strict=True))
    assert c1["Unit"] == "城关镇中心学校"
    assert (c1["Hazards found"], c1["Rectified"], c1["Open"], c1["Overdue"]) == (5, 2, 3, 1)
    assert c1["Rectification rate"] == pytest.approx(0.4)
    assert c1["On-time report rate"] is None  # no denominator: an empty cell, not 0
    assert sheet.cell(row=2, column=header.index("Rectification rate") + 1).number_format == "0.0%"


def test_hazard_export_is_the_drill_down_and_never_a_formula(app, web, district):
    from sqlalchemy import update

    from schools.hazards.models import Hazard
    from tenancy.extensions import db
    from tenancy.scoping import tenant_context

    with app.app_context(), tenant_context(district.world.alpha.id):
        db.session.execute(
            update(Hazard).where(Hazard.id == district.ids["h_food"]).values(description='=HYPERLINK("x")')
        )
        db.session.commit()
    login(web, district, "reviewer1")
    sheet = _sheet(web, f"/dashboards/{district.orgs['C1']}/export.xlsx?table=hazards&measure=open_end")
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["School", "No.", "Found on"]
    descriptions = {row[header.index("Description")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert descriptions == {"消防通道堵塞", "围墙开裂倾斜", '\'=HYPERLINK("x")'}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("table", ["top", "categories", "trend"])
def test_other_tables_export(web, district, table):
    login(web, district, "admin")
    sheet = _sheet(web, f"/dashboards/{district.orgs['ALPHA']}/export.xlsx?table={table}")
    rows = list(sheet.iter_rows(values_only=True))
    if table == "top":
        assert rows[0][:3] == ("Code", "School", "Overdue")
        assert {row[0]: row[2] for row in rows[1:]} == {"S11": 1, "S21": 1}
    elif table == "categories":
        assert rows[0][0] == "Unit" and "消防" in rows[0]
        c1 = next(row for row in rows if row[0] == "城关镇中心学校")
        assert c1[rows[0].index("消防")] == 2 and c1[rows[0].index("饮食卫生")] == 1
    else:
        assert rows[0][:3] == ("Month", "Hazards found", "Rectified")
        assert len(rows) == 13  # the header and twelve months
        by_month = {row[0]: row for row in rows[1:]}
        assert by_month[month(district.m1)][1:3] == (4, 2)
        assert by_month[month(district.m0)][1:3] == (2, 0)
