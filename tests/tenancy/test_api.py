"""The JSON API: error shape, pagination, filters and the OpenAPI document."""

import re

import pytest
from sqlalchemy import select

from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import User
from tenancy.scoping import tenant_context


@pytest.fixture
def api(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        user = db.session.scalar(select(User).where(User.username == "admin"))
        _token, secret = issue_token(user, "test")
        db.session.commit()
    client = app.test_client()

    def call(path, **kwargs):
        return client.get(path, headers={"Authorization": f"Bearer {secret}"}, **kwargs)

    return call


def test_pagination_shape_and_bounds(api, world):
    body = api("/api/v1/org-units?per_page=3&page=2").get_json()
    assert body["page"] == 2 and body["per_page"] == 3 and body["total"] == len(world.alpha_orgs)
    assert len(body["items"]) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("page=abc", "page"),
        ("level=7", "level"),
        ("kind=castle", "kind"),
        ("color=red", "color"),
    ],
)
def test_bad_query_values_name_the_field(api, query, field):
    response = api(f"/api/v1/org-units?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]


def test_filters(api, world):
    items = api("/api/v1/org-units?level=3&kind=primary").get_json()["items"]
    assert {item["code"] for item in items} == {"S11", "S21"}
    assert api("/api/v1/org-units?q=河口").get_json()["total"] == 2


def test_missing_object_is_a_json_404(api):
    response = api("/api/v1/org-units/999999")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "not_found", "message": response.get_json()["error"]["message"], "fields": {}}
    }


def test_openapi_document_lists_every_endpoint_with_schemas(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    api_rules = {
        re.sub(r"<(?:int:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert api_rules == set(document["paths"])
    assert "OrgUnit" in document["components"]["schemas"] and "Me" in document["components"]["schemas"]
    listing = document["paths"]["/org-units"]["get"]
    assert listing["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["items"]
    assert "401" in listing["responses"]
