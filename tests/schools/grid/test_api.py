"""/api/v1/schools/<id>/grid-cells and /coverage."""

import pytest

from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import User
from tenancy.scoping import tenant_context
from tests.isolation.grid import objects


@pytest.fixture
def api(app, world):
    objects(app, world)

    def call(username: str, path: str):
        with app.app_context(), tenant_context(world.alpha.id):
            _token, secret = issue_token(db.session.get(User, world.alpha_users[username]), "test")
            db.session.commit()
        return app.test_client().get(
            f"/api/v1/schools/{world.alpha_orgs['S11']}/{path}", headers={"Authorization": f"Bearer {secret}"}
        )

    return call


def test_grid_cells_with_current_owners_paginated(api):
    body = api("school11", "grid-cells?per_page=1").get_json()
    assert body["total"] == 2 and body["per_page"] == 1 and len(body["items"]) == 1
    body = api("reviewer1", "grid-cells").get_json()
    cells = {item["name"]: item for item in body["items"]}
    building = cells["教学楼"]
    assert building["kind"] == "building" and building["owner"]["staff"]["name"] == "张老师"
    assert (
        building["owner"]["staff"]["phone"] == "13800138011"
        and building["owner"]["starts_on"] == "2024-09-01"
    )
    assert [d["staff"]["name"] for d in building["deputies"]] == ["李老师"]
    assert cells["操场"]["owner"] is None and cells["操场"]["deputies"] == []


def test_grid_cells_filters_and_bad_values(api):
    body = api("school11", "grid-cells?kind=outdoor").get_json()
    assert [item["name"] for item in body["items"]] == ["操场"]
    response = api("school11", "grid-cells?kind=castle")
    assert response.status_code == 400 and "kind" in response.get_json()["error"]["fields"]


def test_a_grid_keeper_gets_only_own_cells_and_no_coverage(api):
    body = api("keeper11", "grid-cells").get_json()
    assert [item["name"] for item in body["items"]] == ["教学楼"] and body["total"] == 1
    assert api("keeper11", "coverage").status_code == 403


def test_coverage_on_a_date(api):
    body = api("school11", "coverage").get_json()
    assert [cell["name"] for cell in body["blind_spots"]] == ["操场"]
    assert body["counts"]["blind_spots"] == 1 and body["counts"]["covered"] == 1
    assert body["staff_without_cell"] == []
    body = api("staff", "coverage?on=2024-08-31").get_json()
    assert body["on"] == "2024-08-31" and body["blind_spots"] == [] and body["counts"]["cells"] == 0
    assert {person["name"] for person in body["staff_without_cell"]} == {"张老师", "李老师"}


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2024/09/01"])
def test_coverage_bad_date_names_the_parameter(api, value):
    response = api("school11", f"coverage?on={value}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and "on" in error["fields"]


def test_openapi_documents_the_grid(app):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert "/schools/{school_id}/grid-cells" in paths and "/schools/{school_id}/coverage" in paths
