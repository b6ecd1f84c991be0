"""The zero-report API: windows (list, open, read with completeness) and daily reports."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from schools.zeroreports import operations
from schools.zeroreports.models import ZeroReport, ZeroReportWindow
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.schools.zeroreports.conftest import ITEMS, local


def _count(app, world, model) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def today(app, world) -> date:
    with app.app_context(), tenant_context(world.alpha.id):
        return tenant_today()


@pytest.fixture
def windows(app, world, today):
    """Two windows from two days ago: one for every school, one for C1's schools; S11 reported day 1."""
    with app.app_context(), tenant_context(world.alpha.id):
        units = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
        for unit in units.values():
            unit.created_at = local(date(2020, 1, 1))
        start = today - timedelta(days=2)
        made = {}
        for key, targets in (("all", None), ("c1", [units["C1"]])):
            made[key] = operations.open_window(
                title=f"日报-{key}",
                starts_on=start,
                ends_on=None,
                deadline=time(16),
                items=ITEMS,
                target_units=targets,
                now=local(start, 8),
            ).id
        window = db.session.get(ZeroReportWindow, made["all"])
        operations.submit_report(window, units["S11"], start, {"发热人数": 3}, now=local(start, 9))
        db.session.commit()
        return made | {"start": start}


WINDOW = {"title": "防汛期间每日零报告", "deadline": "16:30", "items": ["险情数量"]}


def test_open_a_window(api, world, today):
    body = WINDOW | {"starts_on": today.isoformat(), "target_unit_ids": [world.alpha_orgs["C2"]]}
    response = api("staff", "POST", "/api/v1/zero-report-windows", body)
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert made["deadline"] == "16:30" and made["target_unit_ids"] == [world.alpha_orgs["C2"]]
    assert (made["covers_all"], made["status"], made["phase"], made["ends_on"]) == (
        False,
        "active",
        "open",
        None,
    )
    everyone = api("admin", "POST", "/api/v1/zero-report-windows", WINDOW | {"starts_on": today.isoformat()})
    assert everyone.status_code == 201 and everyone.get_json()["covers_all"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"deadline": "25:00"}, "deadline"),
        ({"deadline": "4pm"}, "deadline"),
        ({"items": []}, "items"),
        ({"items": ["发热人数", "发热人数"]}, "items"),
        ({"items": "发热人数"}, "items"),
        ({"starts_on": "2020-01-01"}, "starts_on"),
        ({"starts_on": "soon"}, "starts_on"),
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"target_unit_ids": []}, "target_unit_ids"),
        ({"target_unit_ids": ["C1"]}, "target_unit_ids"),
        ({"note": "长" * 501}, "note"),
    ],
)
def test_bad_window_body_names_the_field(app, api, world, today, changes, field):
    body = WINDOW | {"starts_on": today.isoformat()} | changes
    response = api("admin", "POST", "/api/v1/zero-report-windows", body)
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert _count(app, world, ZeroReportWindow) == 0


def test_the_bureau_named_must_be_the_callers(app, api, world, today):
    body = WINDOW | {"starts_on": today.isoformat()}
    url = "/api/v1/zero-report-windows"
    assert api("admin", "POST", url, body | {"bureau_id": world.alpha_orgs["ALPHA"]}).status_code == 201
    assert api("admin", "POST", url, body | {"bureau_id": world.beta_orgs["beta"]}).status_code == 404
    central = api("admin", "POST", url, body | {"bureau_id": world.alpha_orgs["C1"]})
    assert central.status_code == 400 and "bureau_id" in central.get_json()["error"]["fields"]
    assert _count(app, world, ZeroReportWindow) == 1


def test_unknown_target_units_are_404(app, api, world, today):
    body = WINDOW | {"starts_on": today.isoformat(), "target_unit_ids": [world.beta_orgs["BC1"]]}
    assert api("admin", "POST", "/api/v1/zero-report-windows", body).status_code == 404
    body["target_unit_ids"] = [999999]
    assert api("admin", "POST", "/api/v1/zero-report-windows", body).status_code == 404
    assert _count(app, world, ZeroReportWindow) == 0


def test_only_the_bureau_opens_windows(api, today):
    body = WINDOW | {"starts_on": today.isoformat()}
    assert api("reviewer1", "POST", "/api/v1/zero-report-windows", body).status_code == 403
    assert api("school11", "POST", "/api/v1/zero-report-windows", body).status_code == 403


def test_windows_in_scope_and_completeness(api, world, windows, today):
    listed = api("reviewer2", "GET", "/api/v1/zero-report-windows").get_json()
    assert [item["title"] for item in listed["items"]] == ["日报-all"]
    assert api("reviewer2", "GET", f"/api/v1/zero-report-windows/{windows['c1']}").status_code == 404
    assert api("reviewer1", "GET", "/api/v1/zero-report-windows?status=ended").get_json()["total"] == 0
    assert api("reviewer1", "GET", "/api/v1/zero-report-windows?status=gone").status_code == 400
    body = api("reviewer1", "GET", f"/api/v1/zero-report-windows/{windows['all']}").get_json()
    summary = body["completeness"]
    # reviewer1's schools S11 and S12, three days (today's deadline may or may not have passed).
    assert (summary["schools"], summary["days"], summary["required"], summary["reported"]) == (2, 3, 6, 1)
    first = summary["by_day"][0]
    assert (first["day"], first["reported"], first["required"], first["missing"], first["percent"]) == (
        windows["start"].isoformat(),
        1,
        2,
        1,
        50.0,
    )


def test_report_then_correct(app, api, world, windows, today):
    body = {"window_id": windows["c1"], "school_id": world.alpha_orgs["S11"], "day": today.isoformat()}
    made = api("school11", "POST", "/api/v1/zero-reports", body)
    assert made.status_code == 201 and made.get_json()["is_zero"] is True
    corrected = api(
        "school11", "POST", "/api/v1/zero-reports", body | {"values": {"发热人数": 2}, "note": "复核"}
    )
    assert corrected.status_code == 200
    assert corrected.get_json()["values"] == {"因病缺课人数": 0, "发热人数": 2}
    assert corrected.get_json()["id"] == made.get_json()["id"]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"values": {"发热人数": -1}}, "values", "发热人数"),
        ({"values": {"发热人数": 1.5}}, "values", "发热人数"),
        ({"values": {"发热人数": "two"}}, "values", "发热人数"),
        ({"values": {"体温异常": 1}}, "values", "体温异常"),
        ({"values": [1, 2]}, "values", ""),
        ({"day": "yesterday"}, "day", ""),
        ({"day": "2020-01-01"}, "day", "Report a day from"),
        ({"day": "2099-01-01"}, "day", "future"),
        ({"window_id": None}, "window_id", ""),
        ({"note": "长" * 501}, "note", ""),
    ],
)
def test_bad_report_body_names_the_field(app, api, world, windows, today, changes, field, text):
    with app.app_context(), tenant_context(world.alpha.id):  # the messages checked are the English ones
        db.session.get(User, world.alpha_users["school11"]).locale = "en"
        db.session.commit()
    before = _count(app, world, ZeroReport)
    body = {
        "window_id": windows["c1"],
        "school_id": world.alpha_orgs["S11"],
        "day": today.isoformat(),
    } | changes
    response = api("school11", "POST", "/api/v1/zero-reports", body)
    assert response.status_code == 400, response.get_json()
    problems = response.get_json()["error"]["fields"]
    assert field in problems and text in str(problems[field])
    assert _count(app, world, ZeroReport) == before


def test_report_outside_the_target_or_scope(api, world, windows, today):
    body = {"window_id": windows["c1"], "school_id": world.alpha_orgs["S21"], "day": today.isoformat()}
    response = api("admin", "POST", "/api/v1/zero-reports", body)
    assert response.status_code == 403  # the bureau may read but not report for a school
    assert api("reviewer2", "POST", "/api/v1/zero-reports", body).status_code == 403
    assert api("school11", "POST", "/api/v1/zero-reports", body).status_code == 404


def test_list_reports_filters_and_pages(api, world, windows, today):
    s11 = world.alpha_orgs["S11"]
    for window_id in (windows["all"], windows["c1"]):
        body = {"window_id": window_id, "school_id": s11, "day": today.isoformat()}
        assert api("school11", "POST", "/api/v1/zero-reports", body).status_code == 201
    everything = api("reviewer1", "GET", "/api/v1/zero-reports").get_json()
    assert everything["total"] == 3
    by_window = api("reviewer1", "GET", f"/api/v1/zero-reports?window_id={windows['c1']}").get_json()
    assert [item["window_id"] for item in by_window["items"]] == [windows["c1"]]
    by_day = api("reviewer1", "GET", f"/api/v1/zero-reports?day={windows['start'].isoformat()}").get_json()
    assert [item["values"]["发热人数"] for item in by_day["items"]] == [3]
    page = api("reviewer1", "GET", f"/api/v1/zero-reports?school_id={s11}&per_page=1&page=2").get_json()
    assert (page["total"], len(page["items"]), page["page"]) == (3, 1, 2)
    assert api("reviewer2", "GET", "/api/v1/zero-reports").get_json()["total"] == 0
    assert api("reviewer2", "GET", f"/api/v1/zero-reports?school_id={s11}").status_code == 404
    assert api("reviewer2", "GET", f"/api/v1/zero-reports?window_id={windows['c1']}").status_code == 404
    assert api("reviewer1", "GET", "/api/v1/zero-reports?day=someday").status_code == 400


def test_openapi_documents_the_endpoints(app):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/zero-report-windows"])
    assert {"get", "post"} <= set(paths["/zero-reports"])
    assert "get" in paths["/zero-report-windows/{window_id}"]
