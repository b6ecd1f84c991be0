"""The responsibility chart export: a real workbook, Chinese headers, formula injection neutralised."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from schools.grid import operations
from schools.grid.export import COLUMNS
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.tabular import safe_cell
from tests.isolation.grid import objects
from tests.schools.grid.helpers import login_in_english


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\n=cmd", "'\n=cmd"),
        ("教学楼", "教学楼"),
        ("a=1", "a=1"),
        ("", ""),
        (5, 5),
        (-3.5, -3.5),
        (None, None),
        (date(2024, 9, 1), date(2024, 9, 1)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.fixture
def chart(app, web, world):
    ids = objects(app, world)
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.get(OrgUnit, world.alpha_orgs["S11"])
        sly = operations.create_staff(school, name="-2+3", phone="13800000099")
        trap = operations.create_cell(school, name="=1+1", kind="room", is_key_area=True, key_area_kind="lab")
        operations.assign_first_owner(trap, sly, date(2024, 9, 1))
        db.session.commit()
    login_in_english(web, "school11", world.password)
    response = web.get(f"/schools/{world.alpha_orgs['S11']}/grid/chart.xlsx?on=2025-01-01")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    ids["book"] = load_workbook(io.BytesIO(response.data))
    return ids


def test_export_opens_with_chinese_headers_frozen_and_widths(chart):
    sheet = chart["book"].active
    headers = [cell.value for cell in sheet[1]]
    assert headers == [name for name, _width in COLUMNS]
    assert headers[:2] == ["网格名称", "上级网格"] and "负责人" in headers and "电话" in headers
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == COLUMNS[0][1]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    building = rows["教学楼"]
    assert building[2] == "楼栋" and building[5] == "张老师" and building[6] == "13800138011"
    assert building[7] == "李老师" and building[8] == "13800138012"
    assert rows["操场"][5] is None  # no owner: left empty


def test_export_neutralises_formula_injection(chart):
    sheet = chart["book"].active
    trap = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "'=1+1")
    assert trap[0].data_type == "s"  # text, not a formula
    assert trap[3].value == "实验室"
    assert trap[5].value == "'-2+3"
    assert trap[6].value == "13800000099"
    assert trap[9].value.date() == date(2024, 9, 1)  # a real date, unchanged


def test_export_refuses_a_bad_date(web, world, chart):
    response = web.get(f"/schools/{world.alpha_orgs['S11']}/grid/chart.xlsx?on=yesterday")
    assert response.status_code == 400
