"""Who sees which flags, on the board, the history and the API; the API's filters and bad values."""

from types import SimpleNamespace

import pytest

from bureau.flags.operations import refresh_all
from schools.grid import operations as grid
from schools.hazards.lifecycle import SCHOOL
from schools.hazards.operations import take_step
from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import User
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.bureau.flags.helpers import overdue_hazard, unit
from tests.fixtures.app import WebClient

TEXTS = {"S11": "S11灭火器过期", "S12": "S12滑梯松动", "S21": "S21围墙裂缝", "D1": "D1实验室通风差"}
KEEPER_TEXT = "S11走廊灯不亮"  # reported by keeper11
CLEARED_TEXT = "S11已整改的隐患"
BETA_TEXT = "乙县教室门锁坏"


@pytest.fixture
def flagged(app, world) -> SimpleNamespace:
    """Overdue hazards at S11, S12, S21 and D1 (one of S11's reported by keeper11, one rectified),
    a blind spot at S11, and one overdue hazard in beta; flags computed in both tenants."""
    ids = {}
    with app.app_context(), tenant_context(world.alpha.id):
        for code, text in TEXTS.items():
            ids[code] = overdue_hazard(code, text=text).id
        keeper = db.session.get(User, world.alpha_users["keeper11"])
        ids["keeper"] = overdue_hazard("S11", text=KEEPER_TEXT, user=keeper).id
        done = overdue_hazard("S11", text=CLEARED_TEXT)
        ids["cell"] = grid.create_cell(unit("S11"), name="配电房", kind="room", opened_on=tenant_today()).id
        refresh_all()
        take_step(done, "rectify", {SCHOOL}, on=tenant_today())
        refresh_all()
        db.session.commit()
    with app.app_context(), tenant_context(world.beta.id):
        overdue_hazard("BS1", text=BETA_TEXT)
        refresh_all()
        db.session.commit()
    return SimpleNamespace(**ids)


def _token(app, world, who: str) -> str:
    tenant, users = (
        (world.beta, world.beta_users) if who in world.beta_users else (world.alpha, world.alpha_users)
    )
    with app.app_context(), tenant_context(tenant.id):
        _record, secret = issue_token(db.session.get(User, users[who]), "test")
        db.session.commit()
    return secret


def _api(app, world, who: str, query: str = ""):
    return app.test_client().get(
        f"/api/v1/flags{query}", headers={"Authorization": f"Bearer {_token(app, world, who)}"}
    )


def _descriptions(body) -> set[str]:
    return {item["details"].get("description") or item["details"].get("name") for item in body["items"]}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("school11", {TEXTS["S11"], KEEPER_TEXT, "配电房"}),
        ("keeper11", {KEEPER_TEXT}),  # a grid keeper sees the hazards of their own cells and reports
        ("reviewer1", {TEXTS["S11"], KEEPER_TEXT, "配电房", TEXTS["S12"]}),
        ("reviewer2", {TEXTS["S21"]}),
        ("staff", set(TEXTS.values()) | {KEEPER_TEXT, "配电房"}),
        ("viewer", set(TEXTS.values()) | {KEEPER_TEXT, "配电房"}),
        ("betaadmin", {BETA_TEXT}),
    ],
)
def test_each_level_sees_the_flags_of_its_subtree(app, world, flagged, who, sees):
    body = _api(app, world, who).get_json()
    assert _descriptions(body) == sees and body["total"] == len(sees)


def test_the_api_item_shape_and_filters(app, world, flagged):
    body = _api(app, world, "admin", "?kind=grid_blind_spot").get_json()
    [item] = body["items"]
    assert (
        item["unit_code"] == "S11" and item["unit"] == "城关镇第一小学" and item["kind"] == "grid_blind_spot"
    )
    assert item["subject"] == f"cell:{flagged.cell}" and item["cleared_at"] is None and item["raised_at"]
    c1 = world.alpha_orgs["C1"]
    assert _descriptions(_api(app, world, "admin", f"?org_unit_id={c1}&kind=hazard_overdue").get_json()) == {
        TEXTS["S11"],
        KEEPER_TEXT,
        TEXTS["S12"],
    }
    assert _descriptions(_api(app, world, "admin", "?cleared=1").get_json()) == {CLEARED_TEXT}
    page = _api(app, world, "admin", "?per_page=2&page=3").get_json()
    assert page["total"] == 6 and page["page"] == 3 and len(page["items"]) == 2
    # Another subtree's or another tenant's unit is a 404, never an empty list that confirms it exists.
    assert _api(app, world, "reviewer2", f"?org_unit_id={c1}").status_code == 404
    assert _api(app, world, "betaadmin", f"?org_unit_id={c1}").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?kind=fire", "kind"),
        ("?cleared=2", "cleared"),
        ("?cleared=yes", "cleared"),
        ("?org_unit_id=abc", "org_unit_id"),
        ("?per_page=0", "per_page"),
        ("?page=x", "page"),
        ("?colour=red", "colour"),
    ],
)
def test_bad_query_values_are_400_naming_the_field(app, world, query, field):
    response = _api(app, world, "admin", query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]


def test_the_endpoint_is_documented(app, world):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/flags"]["get"]
    assert "Flag" in document["components"]["schemas"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["total"]


def _page(web, world, who: str, path: str) -> tuple[int, str]:
    """Log in as `who` (in a fresh client, so one test can be several people) and open `path`."""
    client = WebClient(web.app)
    client.login(who, world.password, tenant="beta" if who in world.beta_users else "alpha")
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_the_board_groups_by_kind_with_counts_and_links_to_subjects(app, web, world, flagged):
    assert web.login("reviewer1", world.password).status_code == 302
    response = web.get("/flags/")
    status, page = response.status_code, response.get_data(as_text=True)
    assert status == 200
    for text in (TEXTS["S11"], TEXTS["S12"], KEEPER_TEXT, "配电房"):
        assert text in page
    assert TEXTS["S21"] not in page and CLEARED_TEXT not in page and BETA_TEXT not in page
    assert f'href="/hazards/{flagged.S11}"' in page
    assert f'href="/schools/{world.alpha_orgs["S11"]}/grid/cells/{flagged.cell}"' in page
    assert 'href="/flags/?kind=hazard_overdue"><strong>3</strong>' in page  # three overdue hazards
    only_cells = web.get("/flags/?kind=grid_blind_spot").get_data(as_text=True)
    assert "配电房" in only_cells and TEXTS["S11"] not in only_cells
    of_s12 = web.get(f"/flags/?unit={world.alpha_orgs['S12']}").get_data(as_text=True)
    assert TEXTS["S12"] in of_s12 and TEXTS["S11"] not in of_s12
    assert web.get(f"/flags/?unit={world.alpha_orgs['S21']}").status_code == 404
    with_cleared = web.get("/flags/?cleared=1").get_data(as_text=True)
    assert CLEARED_TEXT in with_cleared


def test_history_lists_cleared_flags_with_both_times(app, web, world, flagged):
    status, page = _page(web, world, "school11", "/flags/history")
    assert status == 200 and CLEARED_TEXT in page and TEXTS["S11"] not in page
    _status, other = _page(web, world, "reviewer2", "/flags/history")
    assert CLEARED_TEXT not in other


def test_a_keeper_and_another_tenant_see_only_their_own(app, web, world, flagged):
    _status, page = _page(web, world, "keeper11", "/flags/")
    assert KEEPER_TEXT in page and TEXTS["S11"] not in page and "配电房" not in page
    _status, page = _page(web, world, "betaadmin", "/flags/")
    assert BETA_TEXT in page and all(text not in page for text in TEXTS.values())


def test_the_nav_links_the_board(app, web, world, flagged):
    _status, page = _page(web, world, "school11", "/")
    assert 'href="/flags/"' in page
