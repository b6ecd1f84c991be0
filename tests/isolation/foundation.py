"""Isolation table of the foundation: auth, org tree, users, settings, audit, platform, API."""

from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import User
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

ROUTES = {
    "home.index": Route("GET", "/", owner="school11"),
    "orgs.list_orgs": Route("GET", "/orgs/", owner="reviewer1", secret="城关镇第一小学"),
    "orgs.show_org": Route("GET", "/orgs/{S11}", owner="reviewer1", outsider="reviewer2"),
    "orgs.edit_org": Route(
        "GET", "/orgs/{S11}/edit", owner="admin", outsider="reviewer2", wrong_role="reviewer1"
    ),
    "orgs.new_child": Route(
        "GET", "/orgs/{C1}/children/new", owner="admin", outsider="reviewer2", wrong_role="viewer"
    ),
    "orgs.move_org": Route(
        "POST",
        "/orgs/{S11}/move",
        owner="admin",
        outsider="reviewer2",
        wrong_role="staff",
        data={"parent_id": "{C2}"},
    ),
    "orgs.set_active": Route(
        "POST",
        "/orgs/{S12}/active",
        owner="admin",
        outsider="school11",
        wrong_role="reviewer1",
        data={"active": "0"},
    ),
    "orgs.import_orgs": Route("GET", "/orgs/import", owner="admin", wrong_role="staff"),
    "orgs.confirm_import": Route("POST", "/orgs/import/" + "0" * 32, owner=None, wrong_role="staff"),
    "users.list_users": Route("GET", "/users/", owner="admin", wrong_role="staff", secret="school11"),
    "users.new_user": Route("GET", "/users/new", owner="admin", wrong_role="staff"),
    "users.show_user": Route(
        "GET", "/users/{user:school11}", owner="admin", outsider="reviewer1", wrong_role="staff"
    ),
    "users.set_enabled": Route(
        "POST",
        "/users/{user:keeper11}/enabled",
        owner="admin",
        outsider="reviewer1",
        wrong_role="staff",
        data={"enabled": "0"},
    ),
    "users.reset_password": Route(
        "POST",
        "/users/{user:keeper11}/password",
        owner="admin",
        outsider="school11",
        wrong_role="viewer",
        data={"password": "Another-Pass-77"},
    ),
    "users.unlock": Route(
        "POST", "/users/{user:keeper11}/unlock", owner="admin", outsider="reviewer2", wrong_role="staff"
    ),
    "users.add_grant": Route(
        "POST",
        "/users/{user:keeper11}/grants",
        owner="admin",
        outsider="reviewer1",
        wrong_role="staff",
        data={"role": "viewer", "org_id": "{S11}"},
    ),
    "users.remove_grant": Route(
        "POST",
        "/users/{user:keeper11}/grants/999999/delete",
        owner="admin",
        outsider="reviewer1",
        wrong_role="staff",
    ),
    "auditlog.list_events": Route("GET", "/audit/", owner="admin", wrong_role="staff", secret="alpha"),
    "settings.edit_settings": Route("GET", "/settings/", owner="admin", wrong_role="staff"),
    "auth.account": Route("GET", "/account", owner="keeper11"),
    "auth.change_password": Route("GET", "/account/password", owner="keeper11"),
    "auth.create_token": Route("POST", "/account/tokens", owner="keeper11", data={"name": "t"}),
    "auth.revoke_token": Route(
        "POST", "/account/tokens/{token:school11}/revoke", owner="school11", outsider="admin"
    ),
    "platform.list_tenants": Route("GET", "/platform/tenants", owner="@operator", wrong_role="admin"),
    "platform.new_tenant": Route("GET", "/platform/tenants/new", owner="@operator", wrong_role="admin"),
    "api.me": Route("GET", "/api/v1/me", owner="keeper11", api=True),
    "api.list_org_units": Route(
        "GET", "/api/v1/org-units", owner="reviewer1", api=True, secret="城关镇第一小学"
    ),
    "api.get_org_unit": Route(
        "GET", "/api/v1/org-units/{S11}", owner="reviewer1", outsider="reviewer2", api=True
    ),
}


def objects(app, world) -> dict[str, int]:
    """Objects the table's paths name beyond the world's units and users: one token of school11."""
    with app.app_context(), tenant_context(world.alpha.id):
        token, _secret = issue_token(db.session.get(User, world.alpha_users["school11"]), "x")
        db.session.commit()
        return {"token:school11": token.id}
