"""Every route and API endpoint against every kind of outsider, from one table.

Add each new route here: `test_every_route_is_in_the_table` fails until you do.
Roles in the alpha world (tests/fixtures/world.py): admin (bureau admin), staff (bureau
staff), reviewer1 (central school C1: S11, S12), reviewer2 (C2: S21), school11 (S11),
keeper11 (grid keeper S11), viewer (bureau viewer). betaadmin is bureau admin of beta.
"""

from dataclasses import dataclass, field

import pytest

from tenancy.auth.sessions import issue_token


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {S11} etc. are alpha org ids, {user:name} alpha user ids
    owner: str  # may act: gets neither 403 nor 404
    outsider: str | None = None  # same tenant, outside the object's subtree: 404
    wrong_role: str | None = None  # sees the object, lacks the permission: 403
    data: dict = field(default_factory=dict)
    api: bool = False
    # Text of the object that must not leak to another tenant's user on list pages.
    secret: str | None = None


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

# Open to everyone by design.
PUBLIC = {"static", "auth.login", "auth.operator_login", "auth.set_language", "auth.logout", "openapi"}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - PUBLIC == set(ROUTES), (
        "add new routes to ROUTES (or PUBLIC) in tests/test_isolation.py"
    )


def _fill(text: str, world, tokens: dict) -> str:
    for code, org_id in world.alpha_orgs.items():
        text = text.replace("{" + code + "}", str(org_id))
    for name, user_id in world.alpha_users.items():
        text = text.replace("{user:" + name + "}", str(user_id))
    for name, token_id in tokens.items():
        text = text.replace("{token:" + name + "}", str(token_id))
    return text


@pytest.fixture
def tokens(app, world):
    """One API token of school11, to test revoking someone else's token."""
    from tenancy.extensions import db
    from tenancy.models import User
    from tenancy.scoping import tenant_context

    with app.app_context(), tenant_context(world.alpha.id):
        token, _secret = issue_token(db.session.get(User, world.alpha_users["school11"]), "x")
        db.session.commit()
        return {"school11": token.id}


def _api_token(app, tenant_id: int, user_id: int) -> str:
    from tenancy.extensions import db
    from tenancy.models import User
    from tenancy.scoping import tenant_context

    with app.app_context(), tenant_context(tenant_id):
        _token, secret = issue_token(db.session.get(User, user_id), "test")
        db.session.commit()
        return secret


def _call(app, web, world, tokens, route: Route, who: str | None):
    """Make the route's request as `who` (None: anonymous; '@operator'; beta names; alpha names)."""
    path = _fill(route.path, world, tokens)
    data = {key: _fill(value, world, tokens) for key, value in route.data.items()}
    if route.api:
        headers = {}
        if who is not None:
            tenant, users = (
                (world.beta, world.beta_users)
                if who in world.beta_users
                else (world.alpha, world.alpha_users)
            )
            headers["Authorization"] = f"Bearer {_api_token(app, tenant.id, users[who])}"
        return web.http.open(path, method=route.method, headers=headers)
    if who == "@operator":
        assert web.login("root", world.password, path="/platform/login").status_code == 302
    elif who is not None:
        tenant = "beta" if who in world.beta_users else "alpha"
        assert web.login(who, world.password, tenant=tenant).status_code == 302
    if route.method == "GET":
        return web.get(path)
    return web.post(path, data, csrf=who is not None)


CASES = sorted(ROUTES.items())


@pytest.mark.parametrize(("endpoint", "route"), CASES, ids=[c[0] for c in CASES])
def test_anonymous_is_sent_to_login(app, web, world, tokens, endpoint, route):
    response = _call(app, web, world, tokens, route, None)
    if route.api:
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    elif route.method == "POST":
        assert response.status_code in (302, 400)  # no session: login redirect or missing CSRF token
    else:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("endpoint", "route"), CASES, ids=[c[0] for c in CASES])
def test_other_tenant_sees_nothing(app, web, world, tokens, endpoint, route):
    if route.owner == "@operator":
        pytest.skip("operator pages span tenants by design")
    response = _call(app, web, world, tokens, route, "betaadmin")
    body = response.get_data(as_text=True)
    if "{" in route.path:
        assert response.status_code == 404, body[:300]
    else:
        assert response.status_code in (200, 302, 403, 404)
    for secret in filter(None, [route.secret, "甲县教育局", "城关镇第一小学", "keeper11"]):
        assert secret not in body


@pytest.mark.parametrize(
    ("endpoint", "route"), [c for c in CASES if c[1].outsider], ids=[c[0] for c in CASES if c[1].outsider]
)
def test_outside_the_subtree_is_404(app, web, world, tokens, endpoint, route):
    response = _call(app, web, world, tokens, route, route.outsider)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("endpoint", "route"), [c for c in CASES if c[1].wrong_role], ids=[c[0] for c in CASES if c[1].wrong_role]
)
def test_wrong_role_is_403(app, web, world, tokens, endpoint, route):
    response = _call(app, web, world, tokens, route, route.wrong_role)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("endpoint", "route"), [c for c in CASES if c[1].owner], ids=[c[0] for c in CASES if c[1].owner]
)
def test_owner_is_let_in(app, web, world, tokens, endpoint, route):
    response = _call(app, web, world, tokens, route, route.owner)
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]


def test_lists_hold_only_the_subtree(app, web, world):
    web.login("reviewer2", world.password)
    tree = web.get("/orgs/").get_data(as_text=True)
    assert "河口镇中心小学" in tree
    assert "城关镇第一小学" not in tree and "县实验中学" not in tree
    token = _api_token(app, world.alpha.id, world.alpha_users["reviewer2"])
    items = web.http.get(
        "/api/v1/org-units?per_page=200", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert {item["code"] for item in items["items"]} == {"C2", "S21"}
    assert items["total"] == 2
