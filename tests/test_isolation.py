"""Every route and API endpoint against every kind of outsider, from one table.

Each package keeps its rows in tests/isolation/<area>.py (ROUTES, and optionally
objects(app, world) returning ids for the placeholders its paths use);
`test_every_route_is_in_the_table` fails until a new route has a row.
Roles in the alpha world (tests/fixtures/world.py): admin (bureau admin), staff (bureau
staff), reviewer1 (central school C1: S11, S12), reviewer2 (C2: S21), school11 (S11),
keeper11 (grid keeper S11), viewer (bureau viewer). betaadmin is bureau admin of beta.
Paths use {CODE} for alpha org ids, {user:name} for alpha user ids, and the keys of objects().
"""

import importlib
import io
import pkgutil
from pathlib import Path

import pytest

from tenancy.auth.sessions import issue_token
from tests.isolation.route import Route

TABLES = [
    importlib.import_module(f"tests.isolation.{info.name}")
    for info in pkgutil.iter_modules([str(Path(__file__).parent / "isolation")])
    if info.name != "route"
]
ROUTES: dict[str, Route] = {endpoint: route for table in TABLES for endpoint, route in table.ROUTES.items()}

# Open to everyone by design.
PUBLIC = {
    "static",
    "auth.login",
    "auth.operator_login",
    "auth.set_language",
    "auth.logout",
    "openapi",
    "healthz",
    "readyz",
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - PUBLIC == set(ROUTES), (
        "add new routes to ROUTES (or PUBLIC) in tests/test_isolation.py"
    )


def _fill(text: str, world, tokens: dict) -> str:
    for key, value in tokens.items():
        text = text.replace("{" + key + "}", str(value))
    return text


@pytest.fixture
def tokens(app, world) -> dict[str, int]:
    """Placeholder → id for every object the tables' paths name."""
    values = dict(world.alpha_orgs)
    values.update({f"user:{name}": user_id for name, user_id in world.alpha_users.items()})
    for table in TABLES:
        if hasattr(table, "objects"):
            values.update(table.objects(app, world))
    return values


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
    data = {
        key: _fill(value, world, tokens) if isinstance(value, str) else value
        for key, value in route.data.items()
    }
    if route.api:
        headers = {}
        if who is not None:
            tenant, users = (
                (world.beta, world.beta_users)
                if who in world.beta_users
                else (world.alpha, world.alpha_users)
            )
            headers["Authorization"] = f"Bearer {_api_token(app, tenant.id, users[who])}"
        if route.files:
            files = {
                name: (io.BytesIO(content), filename) for name, (filename, content) in route.files.items()
            }
            return web.http.open(path, method=route.method, headers=headers, data={**data, **files})
        return web.http.open(path, method=route.method, headers=headers, json=data or None)
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
    body = response.get_data().decode("utf-8", "replace")
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
    assert response.status_code in (200, 201, 302), response.get_data(as_text=True)[:500]


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
