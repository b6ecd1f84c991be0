"""/api/v1/drills: record, list with filters and pages, read; bad bodies name the field; scope."""

from datetime import date, timedelta

import pytest


def _body(world, **changes):
    return {
        "school_id": world.alpha_orgs["S11"],
        "held_on": "2025-10-15",
        "kind": "fire",
        "participants": 420,
        "duration_minutes": 12,
        "problems": "三楼东侧楼梯拥堵，疏散用时超预期",
    } | changes


def test_record_list_and_read(api, world):
    created = api("school11", "POST", "/api/v1/drills", _body(world))
    assert created.status_code == 201
    drill = created.get_json()
    assert (drill["held_on"], drill["kind"], drill["school_id"], drill["photos"]) == (
        "2025-10-15",
        "fire",
        world.alpha_orgs["S11"],
        [],
    )
    api("school11", "POST", "/api/v1/drills", _body(world, held_on="2025-11-20", kind="evacuation"))
    listing = api("reviewer1", "GET", "/api/v1/drills").get_json()
    assert listing["total"] == 2 and [i["held_on"] for i in listing["items"]] == ["2025-11-20", "2025-10-15"]
    assert api("reviewer1", "GET", "/api/v1/drills?from=2025-11-01").get_json()["total"] == 1
    assert api("reviewer1", "GET", "/api/v1/drills?to=2025-10-31").get_json()["total"] == 1
    assert (
        api("reviewer1", "GET", f"/api/v1/drills?school_id={world.alpha_orgs['S12']}").get_json()["total"]
        == 0
    )
    page = api("reviewer1", "GET", "/api/v1/drills?per_page=1&page=2").get_json()
    assert (page["total"], page["page"], len(page["items"])) == (2, 2, 1)
    assert api("reviewer2", "GET", "/api/v1/drills").get_json()["total"] == 0
    assert api("reviewer2", "GET", f"/api/v1/drills?school_id={world.alpha_orgs['S11']}").status_code == 404
    assert api("reviewer2", "GET", f"/api/v1/drills/{drill['id']}").status_code == 404
    assert api("keeper11", "GET", f"/api/v1/drills/{drill['id']}").get_json()["id"] == drill["id"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": "2025-13-01"}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"held_on": (date.today() + timedelta(days=2)).isoformat()}, "held_on"),
        ({"kind": "tsunami"}, "kind"),
        ({"participants": 0}, "participants"),
        ({"participants": "many"}, "participants"),
        ({"duration_minutes": -1}, "duration_minutes"),
        ({"duration_minutes": 1.5}, "duration_minutes"),
        ({"problems": ""}, "problems"),
        ({"problems": "   "}, "problems"),
        ({"notes": "字" * 4001}, "notes"),
        ({"school_id": "abc"}, "school_id"),
    ],
)
def test_bad_bodies_name_the_field_and_write_nothing(api, world, changes, field):
    response = api("school11", "POST", "/api/v1/drills", _body(world, **changes))
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert api("admin", "GET", "/api/v1/drills").get_json()["total"] == 0


def test_not_a_json_object(api, world):
    assert api("school11", "POST", "/api/v1/drills", [1, 2]).status_code == 400


def test_grade_groups_record_through_their_school(api, world):
    response = api("admin", "POST", "/api/v1/drills", _body(world, school_id=world.alpha_orgs["D1-G1"]))
    assert response.status_code in (400, 403)


def test_scope_and_permission(api, world):
    assert api("reviewer1", "POST", "/api/v1/drills", _body(world)).status_code == 403
    assert (
        api("school11", "POST", "/api/v1/drills", _body(world, school_id=world.alpha_orgs["S21"])).status_code
        == 404
    )
    assert api("school11", "POST", "/api/v1/drills", _body(world, school_id=999999)).status_code == 404


def test_the_endpoints_are_documented(app, api, world):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert "/drills" in paths and "/drills/{drill_id}" in paths
    assert {"get", "post"} <= set(paths["/drills"])
