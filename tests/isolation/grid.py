"""Isolation table of the campus grid: cells, staff, owners, coverage, chart, import, API."""

from datetime import date

from schools.grid import operations
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

GRID = "/schools/{S11}/grid"
CELL = GRID + "/cells/{cell:S11}"

ROUTES = {
    "grid.list_cells": Route("GET", GRID + "/", owner="keeper11", outsider="reviewer2", secret="教学楼"),
    "grid.new_cell": Route(
        "POST",
        GRID + "/cells/new",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"name": "图书馆", "kind": "building", "parent_id": "0", "key_area_kind": ""},
    ),
    "grid.show_cell": Route("GET", CELL, owner="keeper11", outsider="reviewer2"),
    "grid.edit_cell": Route(
        "GET", CELL + "/edit", owner="school11", outsider="reviewer2", wrong_role="staff"
    ),
    "grid.close_cell": Route(
        "POST",
        GRID + "/cells/{cell2:S11}/close",
        owner="school11",
        outsider="reviewer2",
        wrong_role="keeper11",
        data={"close-closed_on": "2024-10-01"},
    ),
    "grid.assign_owner": Route(
        "POST",
        GRID + "/cells/{cell2:S11}/owner",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        data={"owner-staff_id": "{staff2:S11}", "owner-starts_on": "2024-09-01"},
    ),
    "grid.hand_over": Route(
        "POST",
        CELL + "/handover",
        owner="school11",
        outsider="reviewer2",
        wrong_role="keeper11",
        data={"handover-staff_id": "{staff2:S11}", "handover-handover_on": "2024-12-31"},
    ),
    "grid.add_deputy": Route(
        "POST",
        GRID + "/cells/{cell2:S11}/deputies",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"deputy-staff_id": "{staff:S11}", "deputy-starts_on": "2024-09-01"},
    ),
    "grid.end_deputy": Route(
        "POST",
        CELL + "/deputies/{deputy:S11}/end",
        owner="school11",
        outsider="reviewer2",
        wrong_role="staff",
        data={"end-ends_on": "2024-10-31"},
    ),
    "grid.list_staff": Route(
        "GET",
        GRID + "/staff/",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="keeper11",
        secret="13800138011",
    ),
    "grid.new_staff": Route(
        "GET", GRID + "/staff/new", owner="school11", outsider="reviewer2", wrong_role="viewer"
    ),
    "grid.edit_staff": Route(
        "GET", GRID + "/staff/{staff:S11}/edit", owner="school11", outsider="reviewer2", wrong_role="staff"
    ),
    "grid.coverage": Route(
        "GET", GRID + "/coverage", owner="staff", outsider="reviewer2", wrong_role="keeper11"
    ),
    "grid.chart": Route("GET", GRID + "/chart", owner="viewer", outsider="reviewer2", wrong_role="keeper11"),
    "grid.export_chart": Route(
        "GET", GRID + "/chart.xlsx", owner="school11", outsider="reviewer2", wrong_role="keeper11"
    ),
    "grid.import_grid": Route(
        "GET", GRID + "/import", owner="school11", outsider="reviewer2", wrong_role="viewer"
    ),
    "grid.confirm_import": Route(
        "POST", GRID + "/import/" + "0" * 32, owner=None, outsider="reviewer2", wrong_role="viewer"
    ),
    "api.list_grid_cells": Route(
        "GET",
        "/api/v1/schools/{S11}/grid-cells",
        owner="keeper11",
        outsider="reviewer2",
        api=True,
        secret="教学楼",
    ),
    "api.grid_coverage": Route(
        "GET", "/api/v1/schools/{S11}/coverage", owner="school11", outsider="reviewer2", api=True
    ),
}


def objects(app, world) -> dict[str, int]:
    """At S11: 张老师 (keeper11's staff record) owns 教学楼 with 李老师 as deputy; 操场 has no owner yet."""
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.get(OrgUnit, world.alpha_orgs["S11"])
        keeper = db.session.get(User, world.alpha_users["keeper11"])
        teacher = operations.create_staff(
            school, name="张老师", phone="13800138011", position="班主任", user=keeper
        )
        guard = operations.create_staff(school, name="李老师", phone="13800138012", position="保安")
        building = operations.create_cell(school, name="教学楼", kind="building", opened_on=date(2024, 9, 1))
        playground = operations.create_cell(school, name="操场", kind="outdoor", opened_on=date(2024, 9, 1))
        operations.assign_first_owner(building, teacher, date(2024, 9, 1))
        deputy = operations.add_deputy(building, guard, date(2024, 9, 1))
        db.session.commit()
        return {
            "cell:S11": building.id,
            "cell2:S11": playground.id,
            "staff:S11": teacher.id,
            "staff2:S11": guard.id,
            "deputy:S11": deputy.id,
        }
