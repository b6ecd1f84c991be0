"""/api/v1/hazards: report, list with filters, read, correct, move along the lifecycle."""

import pytest


def _body(world, **changes):
    return {
        "school_id": world.alpha_orgs["S11"],
        "found_on": "2026-03-02",
        "location": "食堂操作间",
        "category": "food",
        "description": "生熟砧板混用",
        "deadline": "2026-03-05",
    } | changes


def test_report_list_read_patch_and_step(api, world):
    created = api("school11", "POST", "/api/v1/hazards", _body(world))
    assert created.status_code == 201
    hazard = created.get_json()
    assert hazard["status"] == "open" and hazard["seq"] == "1" and hazard["overdue"] is True
    listing = api("reviewer1", "GET", "/api/v1/hazards?category=food&status=open").get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == hazard["id"]
    assert api("reviewer2", "GET", "/api/v1/hazards").get_json()["total"] == 0
    patched = api("school11", "PATCH", f"/api/v1/hazards/{hazard['id']}", {"measures": "分设生熟砧板"})
    assert patched.status_code == 200 and patched.get_json()["measures"] == "分设生熟砧板"
    step = api(
        "school11",
        "POST",
        f"/api/v1/hazards/{hazard['id']}/transitions",
        {"step": "rectify", "on": "2026-03-03"},
    )
    assert step.status_code == 200 and step.get_json()["status"] == "rectified"
    same_person = api(
        "school11",
        "POST",
        f"/api/v1/hazards/{hazard['id']}/transitions",
        {"step": "verify", "on": "2026-03-04"},
    )
    assert same_person.status_code == 400
    verified = api(
        "reviewer1",
        "POST",
        f"/api/v1/hazards/{hazard['id']}/transitions",
        {"step": "verify", "on": "2026-03-04"},
    )
    assert verified.get_json()["status"] == "verified"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "ufo"}, "category"),
        ({"found_on": "yesterday"}, "found_on"),
        ({"description": ""}, "description"),
        ({"deadline": "2026-03-01"}, "deadline"),
        ({"school_id": None}, "school_id"),
        ({"level": "huge"}, "level"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_bad_bodies_name_the_field_and_write_nothing(api, world, changes, field):
    response = api("school11", "POST", "/api/v1/hazards", _body(world, **changes))
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert api("school11", "GET", "/api/v1/hazards").get_json()["total"] == 0


def test_illegal_transition_and_non_json_bodies(api, world):
    hazard = api("school11", "POST", "/api/v1/hazards", _body(world)).get_json()
    response = api("school11", "POST", f"/api/v1/hazards/{hazard['id']}/transitions", {"step": "verify"})
    assert response.status_code == 400 and "step" in response.get_json()["error"]["fields"]
    assert (
        api("school11", "POST", f"/api/v1/hazards/{hazard['id']}/transitions", {"step": "fly"}).status_code
        == 400
    )
    assert api("school11", "POST", "/api/v1/hazards", ["not", "an", "object"]).status_code == 400
    wrong = api("school11", "PATCH", f"/api/v1/hazards/{hazard['id']}", {"status": "verified"})
    assert wrong.status_code == 400  # status changes only through transitions


def test_major_hazard_reported_by_api_lands_on_the_bureau_list(api, world):
    hazard = api("school11", "POST", "/api/v1/hazards", _body(world, level="major")).get_json()
    assert hazard["status"] == "escalated" and hazard["under_supervision"] is True
    assert hazard["escalated_to_id"] == world.alpha.bureau_id
