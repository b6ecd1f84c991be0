"""Grid import: preview every row and problem, then apply all or nothing."""

import io
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from schools.grid import operations
from schools.grid.importer import apply_grid_import, plan_grid_import
from schools.grid.models import CellOwnership, GridCell, Staff
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit
from tenancy.scoping import tenant_context
from tests.isolation.grid import objects
from tests.schools.grid.helpers import login_in_english

HEADER = "网格名称,上级网格,类型,重点部位,时段,负责人,电话,副责任人,开始日期\n"
GOOD = HEADER + (
    "实验楼,,楼栋,,,周一,13900000001,,2024-09-01\n"
    "一楼,实验楼,楼层,,,周一,,,2024-09-01\n"
    "化学实验室,实验楼/一楼,房间,实验室,,吴二,13900000002,周一、郑三,2024/9/1\n"
    "早晨到校,,时间轴,,07:30-08:10,郑三,13900000003,,2024年9月1日\n"
    "一年级一班,,班级网格,,,吴二,,,\n"
)


def _plan(app, world, text: str, filename: str = "grid.csv", data: bytes | None = None):
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        school = db.session.get(OrgUnit, world.alpha_orgs["S11"])
        return plan_grid_import(school, data if data is not None else text.encode(), filename)


def _state(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (GridCell, CellOwnership, Staff, AuditEvent)
        )


def test_good_file_builds_the_grid_with_owners_and_new_staff(app, world):
    plan = _plan(app, world, GOOD)
    assert plan.ok, plan.errors
    assert [row.action for row in plan.rows] == ["create"] * 5
    assert plan.new_staff == {"周一": "13900000001", "吴二": "13900000002", "郑三": "13900000003"}
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.get(OrgUnit, world.alpha_orgs["S11"])
        counts = apply_grid_import(school, plan_grid_import(school, GOOD.encode(), "grid.csv"))
        db.session.commit()
        assert (
            counts["create"] == 5 and counts["staff"] == 3 and counts["assign"] == 5 and counts["deputy"] == 2
        )
        lab = db.session.scalar(select(GridCell).where(GridCell.name == "化学实验室"))
        assert lab.parent.name == "一楼" and lab.parent.parent.name == "实验楼"
        assert lab.is_key_area and lab.key_area_kind == "lab"
        day = date(2024, 9, 1)
        assert [(p.staff.name, p.is_primary) for p in lab.owners_on(day)] == [
            ("吴二", True),
            ("周一", False),
            ("郑三", False),
        ]
        morning = db.session.scalar(select(GridCell).where(GridCell.name == "早晨到校"))
        assert morning.kind == "time" and morning.starts_at.strftime("%H:%M") == "07:30"
        assert lab.opened_on == day  # a back-dated first owner opens the cell then
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grid_cell.import"))
        assert event.changes["create"] == 5
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "grid_cell.assign_owner")
            )
            == 5
        )


def test_english_header_in_an_excel_file(app, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "parent", "kind", "key_area", "owner", "phone", "deputy", "starts_on", "remark"])
    sheet.append(["Canteen", None, "outdoor", "canteen", "周一", "13900000001", None, datetime(2024, 9, 1)])
    sheet.append(["Gate", None, "室外", None, "周一", 13900000001, None, datetime(2024, 9, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = _plan(app, world, "", "grid.xlsx", buffer.getvalue())
    assert plan.ok, plan.errors
    assert plan.rows[0].key_area_kind == "canteen" and plan.rows[0].starts_on == date(2024, 9, 1)
    assert plan.rows[1].phone == "13900000001"  # a number in Excel stays the same phone


def test_an_existing_cell_with_a_new_owner_is_a_handover(app, world):
    ids = objects(app, world)  # 教学楼: 张老师 since 2024-09-01, deputy 李老师
    text = HEADER + "教学楼,,楼栋,,,王老师,13900000009,李老师,2025-01-01\n操场,,室外网格,,,,,,\n"
    plan = _plan(app, world, text)
    assert plan.ok, plan.errors
    assert [(row.action, row.owner_action) for row in plan.rows] == [
        ("unchanged", "hand_over"),
        ("unchanged", ""),
    ]
    assert plan.rows[0].new_deputies == []  # 李老师 is already a deputy
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.get(OrgUnit, world.alpha_orgs["S11"])
        apply_grid_import(school, plan_grid_import(school, text.encode(), "grid.csv"))
        db.session.commit()
        cell = db.session.get(GridCell, ids["cell:S11"])
        assert cell.primary_on(date(2024, 12, 31)).staff.name == "张老师"
        assert cell.primary_on(date(2025, 1, 1)).staff.name == "王老师"


def test_the_exported_chart_imports_back_unchanged(app, web, world):
    objects(app, world)
    login_in_english(web, "school11", world.password)
    exported = web.get(f"/schools/{world.alpha_orgs['S11']}/grid/chart.xlsx").data
    plan = _plan(app, world, "", "chart.xlsx", exported)
    assert plan.ok, plan.errors
    assert {(row.name, row.action, row.owner_action) for row in plan.rows} == {
        ("教学楼", "unchanged", "keep"),
        ("操场", "unchanged", ""),
    }
    assert plan.new_staff == {} and all(not row.new_deputies for row in plan.rows)


@pytest.mark.parametrize(
    ("rows", "row", "column", "fragment"),
    [
        (",,楼栋,,,,,,\n", 2, "网格名称", "empty"),
        ("a/b,,楼栋,,,,,,\n", 2, "网格名称", "/"),
        ("图书馆,,castle,,,,,,\n", 2, "类型", "castle"),
        ("图书馆,,楼栋,金库,,,,,\n", 2, "重点部位", "金库"),
        ("午餐,,时间轴网格,,noon,,,,\n", 2, "时段", "noon"),
        ("午餐,,时间轴网格,,,,,,\n", 2, "时段", "07:30-08:10"),
        ("午餐,,时间轴网格,,12:30-11:40,,,,\n", 2, "时段", "end after"),
        ("图书馆,,楼栋,,07:30-08:10,,,,\n", 2, "时段", "Only time-axis"),
        ("图书馆,,楼栋,,,周一,,,2024-02-30\n", 2, "开始日期", "2024-02-30"),
        ("图书馆,,楼栋,,,,13900000001,,\n", 2, "电话", "owner"),
        ("图书馆,,楼栋,,,周一,call me,,\n", 2, "电话", "call me"),
        ("图书馆,,楼栋,,,周一,,周一,\n", 2, "副责任人", "both"),
        ("图书馆,,楼栋,,,周一,,吴二、吴二,\n", 2, "副责任人", "twice"),
        ("一楼,图书馆,楼层,,,,,,\n", 2, "上级网格", "图书馆"),
        ("一楼,甲,楼层,,,,,,\n甲,一楼,楼栋,,,,,,\n", 2, "上级网格", "loops"),
        ("图书馆,,楼栋,,,,,,\n图书馆,,楼栋,,,,,,\n", 3, "网格名称", "row 2"),
        (
            "一楼,,楼层,,,,,,\nA,,楼栋,,,,,,\n一楼,A,楼层,,,,,,\n房间,一楼,房间,,,,,,\n",
            5,
            "上级网格",
            "full path",
        ),
        ("教学楼,,楼栋,,,王老师,,,2024-09-01\n", 2, "开始日期", "2024-09-02"),
        ("教学楼,,楼栋,,,,,张老师,2025-01-01\n", 2, "副责任人", "cannot also be its deputy"),
    ],
    ids=[
        "empty-name",
        "slash-in-name",
        "unknown-kind",
        "unknown-key-area",
        "bad-period",
        "time-without-period",
        "reversed-period",
        "period-on-building",
        "bad-date",
        "phone-without-owner",
        "bad-phone",
        "owner-is-deputy",
        "deputy-twice",
        "unknown-parent",
        "parent-loop",
        "duplicate-row",
        "ambiguous-parent",
        "back-dated-handover",
        "owner-as-deputy",
    ],
)
def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(app, world, rows, row, column, fragment):
    objects(app, world)
    before = _state(app, world)
    plan = _plan(app, world, HEADER + rows)
    assert not plan.ok
    assert any(e.row == row and e.column == column and fragment in e.message for e in plan.errors), (
        plan.errors
    )
    assert _state(app, world) == before
    with app.app_context(), tenant_context(world.alpha.id), pytest.raises(ValueError):
        apply_grid_import(db.session.get(OrgUnit, world.alpha_orgs["S11"]), plan)


def test_namesakes_are_told_apart_by_phone(app, world):
    objects(app, world)
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.get(OrgUnit, world.alpha_orgs["S11"])
        operations.create_staff(school, name="张老师", phone="13900000000")
        db.session.commit()
    plan = _plan(app, world, HEADER + "图书馆,,楼栋,,,张老师,,,\n")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "负责人")]
    assert "13800138011" in plan.errors[0].message
    assert _plan(app, world, HEADER + "图书馆,,楼栋,,,张老师,13900000000,,\n").ok


@pytest.mark.parametrize(
    ("data", "filename", "fragment"),
    [
        (b"", "grid.csv", "empty"),
        ("name,owner\n图书馆,周一\n".encode(), "grid.csv", "kind"),
        (b"\xd0\xcf\x11\xe0old excel", "grid.xls", ".xls"),
        (b"PK\x03\x04broken", "grid.xlsx", "damaged"),
        (b"name,kind\n", "grid.pdf", "CSV or Excel"),
    ],
    ids=["empty", "missing-column", "old-excel", "broken-xlsx", "wrong-type"],
)
def test_unreadable_files_are_refused(app, world, data, filename, fragment):
    plan = _plan(app, world, "", filename, data)
    assert not plan.ok and fragment in plan.errors[0].message


def test_import_through_the_pages_preview_then_confirm(app, web, world):
    login_in_english(web, "school11", world.password)
    base = f"/schools/{world.alpha_orgs['S11']}/grid/import"
    page = web.post(
        base, {"file": (io.BytesIO(GOOD.encode()), "grid.csv")}, content_type="multipart/form-data"
    )
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="import-rows"' in body and "实验楼/一楼/化学实验室" in body
    assert _state(app, world)[0] == 0  # the preview writes nothing
    token = body.split(f"{base}/")[1].split('"')[0]
    response = web.post(f"{base}/{token}")
    assert response.status_code == 302
    assert _state(app, world)[0] == 5
    assert web.post(f"{base}/{token}").status_code == 404  # a staged file is used once


def test_a_file_with_problems_gets_no_confirm_button(app, web, world):
    login_in_english(web, "school11", world.password)
    base = f"/schools/{world.alpha_orgs['S11']}/grid/import"
    page = web.post(
        base,
        {"file": (io.BytesIO((GOOD + "坏行,,castle,,,,,,\n").encode()), "grid.csv")},
        content_type="multipart/form-data",
    )
    body = page.get_data(as_text=True)
    assert 'id="import-errors"' in body and "castle" in body and f"{base}/" not in body
    assert web.post(base, {}, content_type="multipart/form-data").status_code == 400
    assert _state(app, world)[0] == 0


def test_confirm_rechecks_and_writes_nothing_when_the_grid_changed(app, web, world):
    ids = objects(app, world)
    login_in_english(web, "school11", world.password)
    base = f"/schools/{world.alpha_orgs['S11']}/grid/import"
    text = HEADER + "图书馆,,楼栋,,,周一,,,2024-09-01\n操场,,室外网格,,,周一,,,2024-09-01\n"
    body = web.post(
        base, {"file": (io.BytesIO(text.encode()), "grid.csv")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    token = body.split(f"{base}/")[1].split('"')[0]
    with app.app_context(), tenant_context(world.alpha.id):
        playground = db.session.get(GridCell, ids["cell2:S11"])
        operations.assign_first_owner(playground, db.session.get(Staff, ids["staff2:S11"]), date(2024, 10, 1))
        db.session.commit()
    before = _state(app, world)
    response = web.post(f"{base}/{token}")
    assert response.status_code == 409
    assert "2024-10-01" in response.get_data(as_text=True)
    assert _state(app, world) == before  # not even 图书馆 was added


def test_a_file_previewed_for_one_school_cannot_be_confirmed_for_another(app, web, world, make):
    make.user(world.alpha, "school12", "school_admin", "S12")
    with app.app_context(), tenant_context(world.alpha.id):
        from tenancy.models import RoleGrant, User

        user = db.session.scalar(select(User).where(User.username == "school11"))
        db.session.add(RoleGrant(user_id=user.id, role="school_admin", org_unit_id=world.alpha_orgs["S12"]))
        db.session.commit()
    login_in_english(web, "school11", world.password)
    base = f"/schools/{world.alpha_orgs['S11']}/grid/import"
    body = web.post(
        base, {"file": (io.BytesIO(GOOD.encode()), "grid.csv")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    token = body.split(f"{base}/")[1].split('"')[0]
    assert web.post(f"/schools/{world.alpha_orgs['S12']}/grid/import/{token}").status_code == 404
