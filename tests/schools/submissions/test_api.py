"""/api/v1/submissions: submit, list with filters, read, review; bad bodies; conflicts; scope."""

import pytest


def _body(world, **changes):
    return {
        "school_id": world.alpha_orgs["S11"],
        "period": "2026-03",
        "narrative": "三月无重大隐患",
    } | changes


def _total(api, who="admin", query=""):
    return api(who, "GET", f"/api/v1/submissions{query}").get_json()["total"]


def test_submit_list_read_and_review(api, world):
    created = api("school11", "POST", "/api/v1/submissions", _body(world))
    assert created.status_code == 201
    report = created.get_json()
    assert (report["period"], report["version"], report["status"]) == ("2026-03", 1, "submitted")
    assert report["reviewer_unit_id"] == world.alpha_orgs["C1"] and report["is_late"] is True
    assert report["snapshot"]["totals"]["found"] == 0 and report["snapshot"]["drills"] is None
    assert report["due_at"].startswith("2026-04-05T15:59:59")

    assert _total(api, "reviewer1", "?status=submitted&period=2026-03") == 1
    assert _total(api, "reviewer1", "?status=approved") == 0
    assert _total(api, "reviewer1", f"?school_id={world.alpha_orgs['S12']}") == 0
    assert _total(api, "reviewer2") == 0
    assert (
        api("reviewer2", "GET", f"/api/v1/submissions?school_id={world.alpha_orgs['S11']}").status_code == 404
    )
    assert api("keeper11", "GET", f"/api/v1/submissions/{report['id']}").get_json()["id"] == report["id"]

    returned = api(
        "reviewer1",
        "POST",
        f"/api/v1/submissions/{report['id']}/review",
        {"decision": "return", "comment": "补充"},
    )
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    again = api("school11", "POST", "/api/v1/submissions", _body(world, narrative="已补充")).get_json()
    assert again["version"] == 2
    approved = api("staff", "POST", f"/api/v1/submissions/{again['id']}/review", {"decision": "approve"})
    assert approved.get_json()["status"] == "approved"
    listing = api("reviewer1", "GET", "/api/v1/submissions?period=2026-03").get_json()
    assert [(i["version"], i["status"]) for i in listing["items"]] == [(2, "approved"), (1, "returned")]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "March"}, "period"),
        ({"period": "2999-01"}, "period"),  # a future month
        ({"period": None}, "period"),
        ({"school_id": None}, "school_id"),
        ({"school_id": "abc"}, "school_id"),
        ({"narrative": "字" * 4001}, "narrative"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_bad_bodies_name_the_field_and_write_nothing(api, world, changes, field):
    response = api("school11", "POST", "/api/v1/submissions", _body(world, **changes))
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert _total(api) == 0


def test_missing_fields_non_json_and_grade_groups(api, world, make):
    response = api("school11", "POST", "/api/v1/submissions", {"narrative": "x"})
    assert response.status_code == 400 and {"school_id", "period"} <= set(
        response.get_json()["error"]["fields"]
    )
    assert api("school11", "POST", "/api/v1/submissions", ["no"]).status_code == 400
    assert api("admin", "POST", "/api/v1/submissions", _body(world)).status_code == 403  # not a school's
    world.alpha_users["schoold1"] = make.user(world.alpha, "schoold1", "school_admin", "D1")
    grade_group = api(
        "schoold1", "POST", "/api/v1/submissions", _body(world, school_id=world.alpha_orgs["D1-G1"])
    )
    assert grade_group.status_code == 400 and "school_id" in grade_group.get_json()["error"]["fields"]
    assert _total(api) == 0


def test_a_pending_month_is_a_conflict(api, world):
    assert api("school11", "POST", "/api/v1/submissions", _body(world)).status_code == 201
    response = api("school11", "POST", "/api/v1/submissions", _body(world))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and "period" in error["fields"]
    assert _total(api) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "fly"}, "decision"),
        ({"decision": "return"}, "comment"),
        ({"decision": "return", "comment": "  "}, "comment"),
        ({}, "decision"),
        ({"decision": "approve", "comment": "长" * 2001}, "comment"),
        ({"decision": "approve", "extra": True}, "extra"),
    ],
)
def test_bad_review_bodies_name_the_field_and_change_nothing(api, world, body, field):
    report = api("school11", "POST", "/api/v1/submissions", _body(world)).get_json()
    response = api("reviewer1", "POST", f"/api/v1/submissions/{report['id']}/review", body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    after = api("reviewer1", "GET", f"/api/v1/submissions/{report['id']}").get_json()
    assert after["status"] == "submitted" and after["reviewed_at"] is None


def test_review_scope_and_conflicts(api, world):
    s11 = api("school11", "POST", "/api/v1/submissions", _body(world)).get_json()
    path = f"/api/v1/submissions/{s11['id']}/review"
    assert api("reviewer2", "POST", path, {"decision": "approve"}).status_code == 404
    assert api("viewer", "POST", path, {"decision": "approve"}).status_code == 403
    assert api("school11", "POST", path, {"decision": "approve"}).status_code == 403
    assert api("reviewer1", "POST", path, {"decision": "approve"}).status_code == 200
    conflict = api("staff", "POST", path, {"decision": "return", "comment": "再看"})
    assert conflict.status_code == 409 and conflict.get_json()["error"]["code"] == "conflict"
    assert api("staff", "GET", f"/api/v1/submissions/{s11['id']}").get_json()["status"] == "approved"


def test_openapi_documents_the_endpoints(app, api):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/submissions"])
    assert "post" in paths["/submissions/{submission_id}/review"]
