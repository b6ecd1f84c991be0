"""Org, user, settings and operator pages: good input changes things (audited), bad input says why."""

import re

import pytest
from sqlalchemy import func, select

from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit, Tenant, User
from tenancy.scoping import tenant_context, unscoped
from tenancy.settings.store import get_setting


@pytest.fixture
def admin(web, world):
    assert web.login("admin", world.password).status_code == 302
    return web


def _in_alpha(app, world, query):
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(query)


def _last_action(app, world) -> AuditEvent:
    with app.app_context(), tenant_context(world.alpha.id):
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
        db.session.expunge(event)
        return event


def test_add_a_school_under_a_central_school(app, admin, world):
    response = admin.post(
        f"/orgs/{world.alpha_orgs['C1']}/children/new",
        {"code": "S13", "name": "城关镇第三小学", "kind": "primary"},
    )
    assert response.status_code == 302
    school = _in_alpha(app, world, select(OrgUnit).where(OrgUnit.code == "S13"))
    assert school.level == 3 and school.parent_id == world.alpha_orgs["C1"]
    event = _last_action(app, world)
    assert (
        event.action == "org_unit.create"
        and event.actor == "admin"
        and event.changes["name"]["after"] == "城关镇第三小学"
    )
    assert event.ip == "127.0.0.1" and event.request_id


@pytest.mark.parametrize(
    ("data", "message_field"),
    [
        ({"code": "S11", "name": "重复", "kind": "primary"}, "S11"),
        ({"code": "", "name": "无代码", "kind": "primary"}, "code"),
        ({"code": "S14", "name": "", "kind": "primary"}, "name"),
        ({"code": "S15", "name": "中心校", "kind": "central"}, "kind"),
        ({"code": "S16", "name": "怪", "kind": "castle"}, "kind"),
    ],
    ids=["duplicate-code", "empty-code", "empty-name", "central-at-level-3", "unknown-kind"],
)
def test_bad_unit_input_is_refused_and_nothing_is_written(app, admin, world, data, message_field):
    before = _in_alpha(app, world, select(func.count()).select_from(OrgUnit))
    response = admin.post(f"/orgs/{world.alpha_orgs['C1']}/children/new", data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert _in_alpha(app, world, select(func.count()).select_from(OrgUnit)) == before


def test_move_a_school_keeps_history_and_reroots_its_path(app, admin, world):
    s11, c2 = world.alpha_orgs["S11"], world.alpha_orgs["C2"]
    assert admin.post(f"/orgs/{s11}/move", {"parent_id": str(c2)}).status_code == 302
    school = _in_alpha(app, world, select(OrgUnit).where(OrgUnit.id == s11))
    assert school.parent_id == c2 and school.path == f"/{world.alpha.bureau_id}/{c2}/{s11}/"
    page = admin.get(f"/orgs/{s11}").get_data(as_text=True)
    assert "城关镇中心学校" in page and "河口镇中心学校" in page  # both periods listed
    # The reviewer of the new central school now sees it; the old one no longer does.
    other = type(admin)(app)
    other.login("reviewer2", world.password)
    assert other.get(f"/orgs/{s11}").status_code == 200


def test_move_to_a_wrong_level_is_refused(app, admin, world):
    s11 = world.alpha_orgs["S11"]
    admin.post(f"/orgs/{s11}/move", {"parent_id": str(world.alpha_orgs["S21"])})
    assert _in_alpha(app, world, select(OrgUnit.parent_id).where(OrgUnit.id == s11)) == world.alpha_orgs["C1"]


def test_closing_a_unit_with_open_children_is_refused(app, admin, world):
    admin.post(f"/orgs/{world.alpha_orgs['C1']}/active", {"active": "0"})
    assert _in_alpha(app, world, select(OrgUnit.is_active).where(OrgUnit.id == world.alpha_orgs["C1"]))
    admin.post(f"/orgs/{world.alpha_orgs['S12']}/active", {"active": "0"})
    assert not _in_alpha(app, world, select(OrgUnit.is_active).where(OrgUnit.id == world.alpha_orgs["S12"]))
    assert _last_action(app, world).action == "org_unit.close"


def test_create_user_then_grant_and_withdraw_a_role(app, admin, world):
    response = admin.post(
        "/users/new",
        {
            "username": "wang",
            "display_name": "王老师",
            "phone": "13800000000",
            "password": "Long-enough-1",
            "role": "grid_keeper",
            "org_id": str(world.alpha_orgs["S21"]),
        },
    )
    assert response.status_code == 302
    user_id = int(re.search(r"/users/(\d+)", response.headers["Location"]).group(1))
    assert (
        admin.post(
            f"/users/{user_id}/grants", {"role": "viewer", "org_id": str(world.alpha_orgs["C2"])}
        ).status_code
        == 302
    )
    with app.app_context(), tenant_context(world.alpha.id):
        user = db.session.get(User, user_id)
        assert sorted(g.role for g in user.grants) == ["grid_keeper", "viewer"]
        grant_id = next(g.id for g in user.grants if g.role == "viewer")
    admin.post(f"/users/{user_id}/grants/{grant_id}/delete")
    with app.app_context(), tenant_context(world.alpha.id):
        assert [g.role for g in db.session.get(User, user_id).grants] == ["grid_keeper"]
    assert _last_action(app, world).action == "role_grant.delete"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "a b"}, "username"),
        ({"username": "admin"}, "username"),
        ({"password": "short"}, "password"),
        ({"role": "central_reviewer"}, "role"),  # at a school
        ({"role": "bureau_admin"}, "role"),  # at a school
        ({"role": "root"}, "role"),
        ({"org_id": "999999"}, "org_id"),
    ],
    ids=[
        "bad-username",
        "taken-username",
        "weak-password",
        "reviewer-at-school",
        "bureau-role-at-school",
        "unknown-role",
        "unknown-org",
    ],
)
def test_bad_user_input_names_the_field_and_writes_nothing(app, admin, world, change, field):
    data = {
        "username": "newbie",
        "display_name": "新人",
        "password": "Long-enough-1",
        "role": "grid_keeper",
        "org_id": str(world.alpha_orgs["S21"]),
    } | change
    before = _in_alpha(app, world, select(func.count()).select_from(User))
    response = admin.post("/users/new", data)
    assert response.status_code == 400
    assert f'id="{field}"' in response.get_data(as_text=True)
    assert 'class="error"' in response.get_data(as_text=True)
    assert _in_alpha(app, world, select(func.count()).select_from(User)) == before


def test_settings_change_is_saved_and_audited(app, admin, world):
    assert admin.post("/settings/", {"timezone": "Asia/Urumqi", "report_due_day": "10"}).status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        assert get_setting("timezone") == "Asia/Urumqi" and get_setting("report_due_day") == 10
    with app.app_context(), tenant_context(world.beta.id):
        assert get_setting("timezone") == "Asia/Shanghai"  # other tenants keep the default
    event = _last_action(app, world)
    assert event.action == "settings.update" and event.changes


@pytest.mark.parametrize(
    "data",
    [
        {"timezone": "Mars/Base", "report_due_day": "5"},
        {"timezone": "Asia/Shanghai", "report_due_day": "31"},
        {"timezone": "Asia/Shanghai", "report_due_day": "x"},
    ],
)
def test_bad_settings_are_refused(app, admin, world, data):
    assert admin.post("/settings/", data).status_code == 400
    with app.app_context(), tenant_context(world.alpha.id):
        assert get_setting("report_due_day") == 5


def test_audit_trail_filters_and_stays_in_the_tenant(app, admin, world):
    admin.post(f"/orgs/{world.alpha_orgs['S12']}/active", {"active": "0"})
    page = admin.get("/audit/?action=org_unit.close").get_data(as_text=True)
    assert "org_unit.close" in page and "org_unit.create" not in page
    assert "betaadmin" not in admin.get("/audit/?per_page=200").get_data(as_text=True)


def test_operator_creates_a_tenant_with_its_first_admin(app, web, world):
    web.login("root", world.password, path="/platform/login")
    response = web.post(
        "/platform/tenants/new",
        {
            "code": "gamma",
            "name": "丙县教育局",
            "admin_username": "gadmin",
            "admin_name": "丙管理员",
            "admin_password": "Long-enough-1",
        },
    )
    assert response.status_code == 302
    newcomer = type(web)(app)
    assert newcomer.login("gadmin", "Long-enough-1", tenant="gamma").status_code == 302
    assert "丙县教育局" in newcomer.get("/orgs/").get_data(as_text=True)
    bad = web.post(
        "/platform/tenants/new",
        {
            "code": "gamma",
            "name": "x",
            "admin_username": "y",
            "admin_name": "y",
            "admin_password": "Long-enough-1",
        },
    )
    assert bad.status_code == 400
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count()).select_from(Tenant)) == 3


def test_every_recorded_action_has_a_label():
    from pathlib import Path

    from tenancy.auditlog.labels import ACTION_LABELS

    root = Path(__file__).resolve().parents[2]
    actions = set()
    for path in [*root.glob("tenancy/**/*.py"), *root.glob("schools/**/*.py"), *root.glob("bureau/**/*.py")]:
        actions |= set(
            re.findall(r'(?:record|_audit)\(\s*(?:account,\s*)?"([a-z_]+\.[a-z_]+)"', path.read_text())
        )
    assert actions and actions <= set(ACTION_LABELS), actions - set(ACTION_LABELS)
