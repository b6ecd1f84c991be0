"""/api/v1/incidents: report, list with filters, read, follow-up and closing; bad bodies; scope."""

from datetime import UTC, datetime, timedelta

import pytest


def _body(world, **changes):
    occurred = (datetime.now(UTC) - timedelta(minutes=90)).isoformat(timespec="minutes")
    return {
        "school_id": world.alpha_orgs["S11"],
        "occurred_at": occurred,
        "kind": "food_poisoning",
        "severity": "larger",
        "place": "学校食堂",
        "summary": "午餐后12名学生出现呕吐腹痛症状",
        "serious_injuries": 0,
        "minor_injuries": 12,
        "measures": "已送乡镇卫生院，封存留样",
    } | changes


def _items(api, who="admin", query=""):
    return api(who, "GET", f"/api/v1/incidents{query}").get_json()


def test_report_list_read_follow_up_and_close(api, world):
    created = api("school11", "POST", "/api/v1/incidents", _body(world))
    assert created.status_code == 201, created.get_json()
    incident = created.get_json()
    assert (incident["lag_minutes"], incident["is_late"], incident["is_serious"]) == (90, True, True)
    assert incident["status"] == "open" and [r["kind"] for r in incident["reports"]] == ["first"]
    minor = api(
        "school11",
        "POST",
        "/api/v1/incidents",
        _body(
            world,
            severity="general",
            kind="injury",
            occurred_at=(datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
        ),
    )
    assert minor.get_json()["is_late"] is False

    assert _items(api, "reviewer1")["total"] == 2
    assert [i["id"] for i in _items(api, "staff")["items"]] == [incident["id"], minor.get_json()["id"]]
    assert _items(api, "staff", "?serious=true")["total"] == 1
    assert _items(api, "staff", "?kind=injury")["total"] == 1
    assert _items(api, "staff", f"?school_id={world.alpha_orgs['S12']}")["total"] == 0
    today = datetime.now(UTC).date()
    assert _items(api, "staff", f"?from={today + timedelta(days=2)}")["total"] == 0
    assert (
        _items(api, "staff", f"?from={today - timedelta(days=1)}&to={today + timedelta(days=1)}")["total"]
        == 2
    )
    assert _items(api, "reviewer2")["total"] == 0
    assert (
        api("reviewer2", "GET", f"/api/v1/incidents?school_id={world.alpha_orgs['S11']}").status_code == 404
    )
    assert "reports" not in _items(api)["items"][0]

    follow = api(
        "school11",
        "POST",
        f"/api/v1/incidents/{incident['id']}/reports",
        {"kind": "follow_up", "text": "2名学生留院观察", "serious_injuries": 2},
    )
    assert follow.status_code == 201 and follow.get_json()["changes"]["serious_injuries"]["after"] == 2
    closing = api(
        "school11",
        "POST",
        f"/api/v1/incidents/{incident['id']}/reports",
        {"kind": "closing", "text": "经疾控调查为诺如病毒感染，已结案", "is_responsibility_accident": False},
    )
    assert closing.status_code == 201
    shown = api("keeper11", "GET", f"/api/v1/incidents/{incident['id']}").get_json()
    assert shown["status"] == "closed" and [r["kind"] for r in shown["reports"]] == [
        "first",
        "follow_up",
        "closing",
    ]
    assert _items(api, "staff", "?status=open")["total"] == 1

    again = api(
        "school11", "POST", f"/api/v1/incidents/{incident['id']}/reports", {"kind": "follow_up", "text": "x"}
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_at": "soon"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T00:00"}, "occurred_at"),
        ({"occurred_at": None}, "occurred_at"),
        ({"kind": "alien"}, "kind"),
        ({"severity": "grade V"}, "severity"),
        ({"place": ""}, "place"),
        ({"summary": None}, "summary"),
        ({"deaths": -1}, "deaths"),
        ({"minor_injuries": "12"}, "minor_injuries"),
        ({"serious_injuries": 1.5}, "serious_injuries"),
        ({"school_id": "abc"}, "school_id"),
        ({"is_responsibility_accident": "maybe"}, "is_responsibility_accident"),
    ],
)
def test_bad_incident_bodies(api, world, changes, field):
    response = api("school11", "POST", "/api/v1/incidents", _body(world, **changes))
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert _items(api)["total"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x"}, "kind"),
        ({"kind": "first", "text": "x"}, "kind"),
        ({"kind": "follow_up"}, "text"),
        ({"kind": "follow_up", "text": ""}, "text"),
        ({"kind": "follow_up", "text": "x", "deaths": -1}, "deaths"),
        ({"kind": "closing", "text": "x", "severity": "none"}, "severity"),
    ],
)
def test_bad_report_bodies(api, world, body, field):
    incident = api("school11", "POST", "/api/v1/incidents", _body(world)).get_json()
    response = api("school11", "POST", f"/api/v1/incidents/{incident['id']}/reports", body)
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]
    assert len(api("admin", "GET", f"/api/v1/incidents/{incident['id']}").get_json()["reports"]) == 1


def test_bad_query_and_non_json(api, world):
    assert api("admin", "GET", "/api/v1/incidents?from=yesterday").status_code == 400
    assert api("admin", "GET", "/api/v1/incidents?status=burning").status_code == 400
    assert api("school11", "POST", "/api/v1/incidents", ["not", "an", "object"]).status_code == 400
    assert api("reviewer1", "POST", "/api/v1/incidents", _body(world)).status_code == 403
    assert (
        api(
            "school11", "POST", "/api/v1/incidents", _body(world, school_id=world.alpha_orgs["S21"])
        ).status_code
        == 404
    )
    assert (
        api(
            "school11", "POST", "/api/v1/incidents", _body(world, school_id=world.alpha_orgs["D1-G1"])
        ).status_code
        == 404
    )


def test_documented_in_openapi(app):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/incidents"]) and "post" in paths["/incidents/{incident_id}/reports"]
    assert "get" in paths["/incidents/{incident_id}"]
    assert {"get", "post"} <= set(paths["/contacts"]) and "get" in paths["/contacts/{contact_id}"]
