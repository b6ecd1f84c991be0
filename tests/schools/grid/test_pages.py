"""The grid pages: good input changes things (audited), bad input says what and where and writes nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from schools.grid.models import CellOwnership, GridCell, Staff
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.grid import objects
from tests.schools.grid.helpers import login_in_english


@pytest.fixture
def grid(app, world):
    """教学楼 (owner 张老师 = keeper11, deputy 李老师) and 操场 (no owner) at S11."""
    ids = objects(app, world)
    ids["school"] = world.alpha_orgs["S11"]
    ids["base"] = f"/schools/{world.alpha_orgs['S11']}/grid"
    return ids


@pytest.fixture
def admin(web, world):
    return login_in_english(web, "school11", world.password)


def _scalar(app, world, query):
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(query)


def _count(app, world, model) -> int:
    return _scalar(app, world, select(func.count()).select_from(model))


def _snapshot(app, world):
    """Everything the grid pages write, to show that a refused request wrote nothing."""
    with app.app_context(), tenant_context(world.alpha.id):
        return (
            sorted(
                (c.id, c.name, c.kind, c.parent_id, c.is_active, c.closed_on, c.starts_at)
                for c in db.session.scalars(select(GridCell))
            ),
            sorted(
                (p.id, p.staff_id, p.is_primary, p.starts_on, p.ends_on)
                for p in db.session.scalars(select(CellOwnership))
            ),
            sorted(
                (s.id, s.name, s.phone, s.is_active, s.user_id) for s in db.session.scalars(select(Staff))
            ),
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_school_admin_adds_a_cell_and_it_is_audited(app, admin, world, grid):
    response = admin.post(
        f"{grid['base']}/cells/new",
        {
            "name": "午餐",
            "parent_id": "0",
            "kind": "time",
            "key_area_kind": "",
            "starts_at": "11:40",
            "ends_at": "12:30",
            "sort_order": "3",
        },
    )
    assert response.status_code == 302
    cell = _scalar(app, world, select(GridCell).where(GridCell.name == "午餐"))
    assert cell.kind == "time" and cell.starts_at.strftime("%H:%M") == "11:40"
    event = _scalar(app, world, select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == "grid_cell.create" and event.actor == "school11" and event.ip == "127.0.0.1"


def test_cell_page_shows_owners_phones_and_history(admin, grid):
    page = admin.get(f"{grid['base']}/cells/{grid['cell:S11']}").get_data(as_text=True)
    assert "张老师" in page and "13800138011" in page and "李老师" in page
    assert 'id="owner-history"' in page and "2024-09-01" in page
    assert 'name="handover-staff_id"' in page  # it has an owner: the handover form, not the first-owner form
    page = admin.get(f"{grid['base']}/cells/{grid['cell2:S11']}").get_data(as_text=True)
    assert 'name="owner-staff_id"' in page


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"name": "", "kind": "room"}, "This field is required"),
        ({"name": "教学楼", "kind": "building"}, "already has a cell named 教学楼"),
        ({"name": "x/y", "kind": "room"}, "/"),
        ({"name": "房间", "kind": "castle"}, "Not a valid choice"),
        ({"name": "午餐", "kind": "time", "starts_at": "12:30", "ends_at": "11:40"}, "end after it starts"),
        ({"name": "午餐", "kind": "time", "starts_at": "25:00", "ends_at": "11:40"}, "Not a valid time"),
        ({"name": "午餐", "kind": "time"}, "time-axis cell needs"),
        ({"name": "实验室", "kind": "room", "key_area_kind": "rocket"}, "Not a valid choice"),
        ({"name": "房间", "kind": "room", "parent_id": "999999"}, "Not a valid choice"),
        ({"name": "房间", "kind": "room", "sort_order": "x"}, "Not a valid integer"),
    ],
    ids=[
        "empty-name",
        "duplicate",
        "slash",
        "bad-kind",
        "reversed-times",
        "bad-time",
        "time-missing",
        "bad-key-area",
        "foreign-parent",
        "bad-order",
    ],
)
def test_bad_cell_input_is_refused_and_nothing_is_written(app, admin, world, grid, data, fragment):
    before = _snapshot(app, world)
    response = admin.post(f"{grid['base']}/cells/new", {"parent_id": "0", "key_area_kind": "", **data})
    assert response.status_code == 400
    assert fragment in response.get_data(as_text=True)
    assert _snapshot(app, world) == before


def test_edit_a_cell_into_a_key_area_inside_another(app, admin, world, grid):
    response = admin.post(
        f"{grid['base']}/cells/{grid['cell2:S11']}/edit",
        {"name": "化学实验室", "parent_id": str(grid["cell:S11"]), "kind": "room", "key_area_kind": "lab"},
    )
    assert response.status_code == 302
    cell = _scalar(app, world, select(GridCell).where(GridCell.id == grid["cell2:S11"]))
    assert (cell.name, cell.parent_id, cell.is_key_area, cell.key_area_kind) == (
        "化学实验室",
        grid["cell:S11"],
        True,
        "lab",
    )
    event = _scalar(app, world, select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == "grid_cell.update"
    assert event.changes["parent_id"] == {"before": None, "after": grid["cell:S11"]}
    assert event.changes["key_area_kind"] == {"before": None, "after": "lab"}
    response = admin.post(
        f"{grid['base']}/cells/{grid['cell:S11']}/edit",
        {"name": "教学楼", "parent_id": str(grid["cell2:S11"]), "kind": "building", "key_area_kind": ""},
    )
    assert response.status_code == 400  # its own cell is not offered as a parent


def test_hand_over_through_the_form(app, admin, world, grid):
    response = admin.post(
        f"{grid['base']}/cells/{grid['cell:S11']}/handover",
        {"handover-staff_id": str(grid["staff2:S11"]), "handover-handover_on": "2025-01-31"},
    )
    assert response.status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        cell = db.session.get(GridCell, grid["cell:S11"])
        assert cell.primary_on(date(2025, 1, 31)).staff.name == "张老师"
        assert cell.primary_on(date(2025, 2, 1)).staff.name == "李老师"
        # 李老师 was a deputy: that period ends on the handover date
        assert all(p.ends_on == date(2025, 1, 31) for p in cell.ownerships if not p.is_primary)
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "2025-02-01" in page


@pytest.mark.parametrize(
    ("action", "data", "fragment"),
    [
        (
            "handover",
            {"handover-staff_id": "{staff:S11}", "handover-handover_on": "2025-01-01"},
            "already the primary",
        ),
        (
            "handover",
            {"handover-staff_id": "{staff2:S11}", "handover-handover_on": "2024-08-31"},
            "2024-08-31",
        ),
        (
            "handover",
            {"handover-staff_id": "{staff2:S11}", "handover-handover_on": "31/01/2025"},
            "Not a valid date",
        ),
        (
            "handover",
            {"handover-staff_id": "{staff2:S11}", "handover-handover_on": ""},
            "This field is required",
        ),
        (
            "handover",
            {"handover-staff_id": "0", "handover-handover_on": "2025-01-01"},
            "This field is required",
        ),
        (
            "handover",
            {"handover-staff_id": "999999", "handover-handover_on": "2025-01-01"},
            "Not a valid choice",
        ),
        ("owner", {"owner-staff_id": "{staff2:S11}", "owner-starts_on": "2024-09-01"}, "record a handover"),
        (
            "deputies",
            {"deputy-staff_id": "{staff2:S11}", "deputy-starts_on": "2024-10-01"},
            "twice on 2024-10-01",
        ),
        (
            "deputies",
            {"deputy-staff_id": "{staff:S11}", "deputy-starts_on": "2024-10-01"},
            "cannot also be its deputy",
        ),
        (
            "deputies",
            {
                "deputy-staff_id": "{staff2:S11}",
                "deputy-starts_on": "2024-10-01",
                "deputy-ends_on": "2024-09-01",
            },
            "before it starts",
        ),
        ("deputies/{deputy:S11}/end", {"end-ends_on": "2024-08-01"}, "cannot be earlier"),
        ("close", {"close-closed_on": "2099-01-01"}, "future"),
        ("close", {"close-closed_on": "nonsense"}, "Not a valid date"),
    ],
    ids=[
        "handover-same-person",
        "handover-back-dated",
        "handover-bad-date",
        "handover-no-date",
        "handover-nobody",
        "handover-unknown-person",
        "second-first-owner",
        "deputy-twice",
        "deputy-is-owner",
        "deputy-ends-first",
        "end-deputy-before-start",
        "close-in-future",
        "close-bad-date",
    ],
)
def test_bad_owner_input_is_refused_and_nothing_is_written(app, admin, world, grid, action, data, fragment):
    fill = {f"{{{key}}}": str(value) for key, value in grid.items()}
    for placeholder, value in fill.items():
        action = action.replace(placeholder, value)
    data = {key: fill.get(value, value) for key, value in data.items()}
    before = _snapshot(app, world)
    response = admin.post(f"{grid['base']}/cells/{grid['cell:S11']}/{action}", data)
    assert response.status_code == 400
    assert fragment in response.get_data(as_text=True)
    assert _snapshot(app, world) == before


def test_staff_of_another_school_cannot_be_chosen(app, admin, world, grid, make):
    with app.app_context(), tenant_context(world.alpha.id):
        from schools.grid import operations
        from tenancy.models import OrgUnit

        other = operations.create_staff(db.session.get(OrgUnit, world.alpha_orgs["S12"]), name="外校老师").id
        db.session.commit()
    before = _snapshot(app, world)
    response = admin.post(
        f"{grid['base']}/cells/{grid['cell2:S11']}/owner",
        {"owner-staff_id": str(other), "owner-starts_on": "2024-09-01"},
    )
    assert response.status_code == 400
    assert _snapshot(app, world) == before


def test_add_and_edit_staff(app, admin, world, grid):
    response = admin.post(
        f"{grid['base']}/staff/new",
        {"name": "王老师", "position": "食堂管理员", "phone": "0731-8888 1234", "user_id": "0"},
    )
    assert response.status_code == 302
    staff_id = _scalar(app, world, select(Staff.id).where(Staff.name == "王老师"))
    response = admin.post(
        f"{grid['base']}/staff/{staff_id}/edit",
        {"name": "王老师", "position": "食堂管理员", "phone": "13900001111", "user_id": "0"},
    )
    assert response.status_code == 302
    staff = _scalar(app, world, select(Staff).where(Staff.id == staff_id))
    assert staff.phone == "13900001111" and not staff.is_active  # the box was not ticked: they left
    table = admin.get(f"{grid['base']}/staff/").get_data(as_text=True).split('id="staff-list"')[1]
    assert "张老师" in table and "王老师" not in table
    assert (
        "王老师"
        in admin.get(f"{grid['base']}/staff/?all=1").get_data(as_text=True).split('id="staff-list"')[1]
    )


@pytest.mark.parametrize(
    ("path", "data", "fragment"),
    [
        ("new", {"name": "", "user_id": "0"}, "This field is required"),
        ("new", {"name": "甲", "phone": "call me", "user_id": "0"}, "not a phone number"),
        ("new", {"name": "甲", "position": "x" * 41, "user_id": "0"}, "40"),
        ("new", {"name": "甲", "user_id": "{user:keeper11}"}, "already belongs to 张老师"),
        ("new", {"name": "甲", "user_id": "{user:school11}"}, "Not a valid choice"),
        ("{staff:S11}/edit", {"name": "张老师", "user_id": "0"}, "still responsible for 教学楼"),
    ],
    ids=["empty-name", "bad-phone", "long-position", "login-used", "not-a-keeper", "leaves-with-cells"],
)
def test_bad_staff_input_is_refused_and_nothing_is_written(app, admin, world, grid, path, data, fragment):
    fill = {f"{{{key}}}": str(value) for key, value in grid.items()}
    fill.update({f"{{user:{name}}}": str(value) for name, value in world.alpha_users.items()})
    for placeholder, value in fill.items():
        path = path.replace(placeholder, value)
    data = {key: fill.get(value, value) for key, value in data.items()}
    before = _snapshot(app, world)
    response = admin.post(f"{grid['base']}/staff/{path}", data)
    assert response.status_code == 400
    assert fragment in response.get_data(as_text=True)
    assert _snapshot(app, world) == before


def test_grid_keeper_sees_only_own_cells(app, web, world, grid):
    login_in_english(web, "keeper11", world.password)
    page = web.get(f"{grid['base']}/").get_data(as_text=True)
    assert "教学楼" in page and "操场" not in page
    assert "handover-staff_id" not in web.get(f"{grid['base']}/cells/{grid['cell:S11']}").get_data(
        as_text=True
    )
    assert web.get(f"{grid['base']}/cells/{grid['cell2:S11']}").status_code == 404
    for path in ("staff/", "coverage", "chart", "chart.xlsx", "import"):
        assert web.get(f"{grid['base']}/{path}").status_code == 403, path
    assert (
        web.post(
            f"{grid['base']}/cells/{grid['cell:S11']}/close", {"close-closed_on": "2024-10-01"}
        ).status_code
        == 403
    )


def test_read_only_roles_see_the_grid_without_forms(web, world, grid):
    login_in_english(web, "reviewer1", world.password)
    page = web.get(f"{grid['base']}/").get_data(as_text=True)
    assert "教学楼" in page and "操场" in page and "Add a cell" not in page
    cell = web.get(f"{grid['base']}/cells/{grid['cell:S11']}").get_data(as_text=True)
    assert "张老师" in cell and "handover-staff_id" not in cell


def test_cell_filters(admin, grid):
    page = admin.get(f"{grid['base']}/?blind=1").get_data(as_text=True)
    assert "操场" in page and "教学楼" not in page
    page = admin.get(f"{grid['base']}/?kind=building").get_data(as_text=True)
    assert "教学楼" in page and "操场" not in page
    assert "操场" in admin.get(f"{grid['base']}/?q=操").get_data(as_text=True)


def test_coverage_page(app, admin, world, grid):
    page = admin.get(f"{grid['base']}/coverage").get_data(as_text=True)
    with app.app_context(), tenant_context(world.alpha.id):
        assert tenant_today().isoformat() in page
    assert "操场" in page.split('id="blind-spots"')[1].split("</table>")[0]
    before = admin.get(f"{grid['base']}/coverage?on=2024-08-31").get_data(as_text=True)
    blind = before.split('id="blind-spots"')[1].split("</table>")[0]
    assert "教学楼" not in blind  # not open yet on that day
    idle = before.split('id="idle-staff"')[1].split("</table>")[0]
    assert "张老师" in idle and "李老师" in idle
    response = admin.get(f"{grid['base']}/coverage?on=2024-13-45")
    assert response.status_code == 400 and "2024-13-45" in response.get_data(as_text=True)


def test_chart_page_lists_owners_and_phones(admin, grid):
    page = admin.get(f"{grid['base']}/chart").get_data(as_text=True)
    chart = page.split('id="grid-chart"')[1]
    assert "教学楼" in chart and "张老师" in chart and "13800138011" in chart and "李老师" in chart
    assert 'href="' in page and "chart.xlsx" in page


def test_pages_have_no_inline_styles_or_scripts(admin, grid):
    for path in (
        "/",
        f"/cells/{grid['cell:S11']}",
        "/staff/",
        "/coverage",
        "/chart",
        "/import",
        "/cells/new",
    ):
        page = admin.get(grid["base"] + path).get_data(as_text=True)
        assert "style=" not in page and "<script" not in page and "onclick" not in page, path


def test_the_org_page_links_the_grid_of_a_school_only(web, world):
    assert web.login("admin", world.password).status_code == 302
    assert "/grid/" in web.get(f"/orgs/{world.alpha_orgs['S11']}").get_data(as_text=True)
    assert "/grid/" not in web.get(f"/orgs/{world.alpha_orgs['C1']}").get_data(as_text=True)
    assert web.get(f"/schools/{world.alpha_orgs['C1']}/grid/").status_code == 404
