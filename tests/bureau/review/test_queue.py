"""The review queue: central schools see their schools' reports, the bureau every report."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from schools.submissions.models import Submission
from schools.submissions.operations import review, submit_report
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context
from tests.fixtures.app import WebClient


@pytest.fixture
def reports(app, world):
    """Reports of S11 (March, April), S12 (March, approved), S21 (March) and D1 (March); return ids."""
    ids = {}
    with app.app_context(), tenant_context(world.alpha.id):
        admin = db.session.get(User, world.alpha_users["admin"])
        for code, month in (("S11", 3), ("S11", 4), ("S12", 3), ("S21", 3), ("D1", 3)):
            school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            ids[f"{code}-{month}"] = submit_report(school, date(2026, month, 1), f"{code} 报告", admin).id
        review(db.session.get(Submission, ids["S12-3"]), "approve", "", admin)
        db.session.commit()
    return ids


def _client(app, world, username) -> WebClient:
    client = WebClient(app)
    assert client.login(username, world.password).status_code == 302
    assert client.post("/language", {"locale": "en"}).status_code == 302
    return client


def _listed(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/reports/(\d+)"', page)]


def test_central_reviewers_see_their_schools_waiting_reports(app, world, reports):
    reviewer1 = _client(app, world, "reviewer1")
    page = reviewer1.get("/review/reports").get_data(as_text=True)
    assert _listed(page) == [reports["S11-3"], reports["S11-4"]]  # waiting ones, oldest first
    everything = reviewer1.get("/review/reports?status=").get_data(as_text=True)
    assert set(_listed(everything)) == {reports["S11-3"], reports["S11-4"], reports["S12-3"]}
    reviewer2 = _client(app, world, "reviewer2")
    assert _listed(reviewer2.get("/review/reports").get_data(as_text=True)) == [reports["S21-3"]]


def test_directly_run_schools_go_to_the_bureau_queue(app, world, reports):
    staff = _client(app, world, "staff")
    page = staff.get("/review/reports").get_data(as_text=True)
    assert set(_listed(page)) == {reports[k] for k in ("S11-3", "S11-4", "S21-3", "D1-3")}
    assert "县实验中学" in page and "甲县教育局" in page  # D1, reviewed by the bureau itself
    for name in ("reviewer1", "reviewer2"):
        listed = _listed(_client(app, world, name).get("/review/reports?status=").get_data(as_text=True))
        assert reports["D1-3"] not in listed


def test_the_bureau_filters_by_status_month_and_school(app, world, reports):
    staff = _client(app, world, "staff")
    approved = staff.get("/review/reports?status=approved").get_data(as_text=True)
    assert _listed(approved) == [reports["S12-3"]]
    april = staff.get("/review/reports?status=&period=2026-04").get_data(as_text=True)
    assert _listed(april) == [reports["S11-4"]]
    school = staff.get(f"/review/reports?status=&school={world.alpha_orgs['S11']}").get_data(as_text=True)
    assert set(_listed(school)) == {reports["S11-3"], reports["S11-4"]}
    junk = staff.get("/review/reports?status=junk&period=2026-13&school=x")
    assert (
        junk.status_code == 200 and len(set(_listed(junk.get_data(as_text=True)))) == 5
    )  # bad filters dropped


def test_the_bureau_reviews_a_directly_run_school(app, world, reports):
    staff = _client(app, world, "staff")
    response = staff.post(f"/reports/{reports['D1-3']}/review", {"decision": "return", "comment": "请补充"})
    assert response.status_code == 302
    assert reports["D1-3"] not in _listed(staff.get("/review/reports").get_data(as_text=True))
    reviewer1 = _client(app, world, "reviewer1")
    assert reviewer1.get(f"/reports/{reports['D1-3']}").status_code == 404


def test_only_reviewers_have_a_queue(app, world, reports):
    for name in ("school11", "keeper11", "viewer"):
        assert _client(app, world, name).get("/review/reports").status_code == 403
    assert "/review/reports" in _client(app, world, "reviewer1").get("/").get_data(as_text=True)
