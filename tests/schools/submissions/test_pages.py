"""The school's reports page, submitting a month, a report's page and reviewing it."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from schools.hazards.models import Hazard
from schools.submissions.models import Submission
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import set_setting
from tests.fixtures.app import WebClient

MARCH = "2026-03"


def _stored(app, world) -> list[Submission]:
    with app.app_context(), tenant_context(world.alpha.id):
        found = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        for submission in found:
            db.session.expunge(submission)
        return found


def _audit_count(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("submission.%"))
        )


def _client(app, world, username) -> WebClient:
    """Log in and switch the interface to English, so messages can be matched."""
    client = WebClient(app)
    assert client.login(username, world.password).status_code == 302
    assert client.post("/language", {"locale": "en"}).status_code == 302
    return client


@pytest.fixture
def school11(app, world):
    return _client(app, world, "school11")


@pytest.fixture
def reviewer1(app, world):
    return _client(app, world, "reviewer1")


def _hazard(app, world, code="S11", found_on=date(2026, 3, 3), **values):
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.get(OrgUnit, world.alpha_orgs[code])
        db.session.add(
            Hazard(
                tenant_id=school.tenant_id,
                org_unit_id=school.id,
                found_on=found_on,
                location="食堂",
                description="灭火器压力不足",
                category=values.pop("category", "fire"),
                **values,
            )
        )
        db.session.commit()


def _submit(client, world, period=MARCH, narrative="三月份开展安全大检查两次", code="S11"):
    return client.post(
        f"/schools/{world.alpha_orgs[code]}/reports/submit", {"period": period, "narrative": narrative}
    )


def test_submit_review_return_resubmit_approve(app, world, school11, reviewer1):
    _hazard(app, world, level="serious", source="weekly", deadline=date(2026, 3, 10))
    s11 = world.alpha_orgs["S11"]
    year = school11.get(f"/schools/{s11}/reports/?year=2026").get_data(as_text=True)
    assert year.count('<tr id="month-2026-') == 12 and "2026-04-05 23:59" in year  # March's due time

    preview = school11.get(f"/schools/{s11}/reports/submit?period={MARCH}")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "消防" in page and "较大隐患" in page and "周检查" in page  # the ledger's Chinese labels
    assert _stored(app, world) == []  # a preview writes nothing

    response = _submit(school11, world)
    assert response.status_code == 302
    [first] = _stored(app, world)
    assert response.headers["Location"].endswith(f"/reports/{first.id}")
    assert first.snapshot["totals"]["overdue"] == 1 and first.version == 1

    report = reviewer1.get(f"/reports/{first.id}").get_data(as_text=True)
    assert "三月份开展安全大检查两次" in report and 'name="decision"' in report
    assert 'name="decision"' not in school11.get(f"/reports/{first.id}").get_data(as_text=True)

    returned = reviewer1.post(
        f"/reports/{first.id}/review", {"decision": "return", "comment": "请附整改照片"}
    )
    assert returned.status_code == 302
    again = school11.get(f"/schools/{s11}/reports/submit?period={MARCH}").get_data(as_text=True)
    assert "请附整改照片" in again and "三月份开展安全大检查两次</textarea>" in again  # prefilled

    assert _submit(school11, world, narrative="已补充整改照片").status_code == 302
    second = _stored(app, world)[-1]
    assert reviewer1.post(f"/reports/{second.id}/review", {"decision": "approve"}).status_code == 302
    stored = _stored(app, world)
    assert [(s.version, s.status) for s in stored] == [(1, "returned"), (2, "approved")]

    history = reviewer1.get(f"/reports/{second.id}").get_data(as_text=True)
    assert "v1" in history and "v2" in history and "请附整改照片" in history
    assert 'name="decision"' not in history  # nothing left to review
    year = school11.get(f"/schools/{s11}/reports/?year=2026").get_data(as_text=True)
    march = re.search(r'<tr id="month-2026-03">.*?</tr>', year, re.S).group(0)
    assert "Approved" in march and "v1" in march and "v2" in march and "Submit" not in march


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2026-13"}, "YYYY-MM"),
        ({"period": "March"}, "YYYY-MM"),
        ({"period": ""}, "Choose the month"),
        ({"period": "2999-01"}, "not over yet"),
        ({"period": datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")}, "not over yet"),
        ({"period": MARCH, "narrative": "字" * 4001}, "4000"),
    ],
)
def test_bad_submit_forms_say_what_is_wrong_and_write_nothing(app, world, school11, data, message):
    response = school11.post(f"/schools/{world.alpha_orgs['S11']}/reports/submit", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _stored(app, world) == [] and _audit_count(app, world) == 0


def test_a_month_waiting_for_review_cannot_be_submitted_again(app, world, school11):
    assert _submit(school11, world).status_code == 302
    response = _submit(school11, world, narrative="又一次")
    assert response.status_code == 409 and "waiting for review" in response.get_data(as_text=True)
    assert len(_stored(app, world)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "return", "comment": ""}, "a comment is required"),
        ({"decision": "return", "comment": "   "}, "a comment is required"),
        ({"decision": "fly"}, "Not a valid choice"),
        ({}, "Choose approve or return"),
        ({"decision": "approve", "comment": "长" * 2001}, "2000"),
    ],
)
def test_bad_review_forms_say_what_is_wrong_and_change_nothing(
    app, world, school11, reviewer1, data, message
):
    assert _submit(school11, world).status_code == 302
    [submission] = _stored(app, world)
    response = reviewer1.post(f"/reports/{submission.id}/review", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    [after] = _stored(app, world)
    assert after.status == "submitted" and after.reviewed_at is None and _audit_count(app, world) == 1


def test_reviewing_twice_is_a_conflict(app, world, school11, reviewer1):
    _submit(school11, world)
    [submission] = _stored(app, world)
    staff = _client(app, world, "staff")
    assert reviewer1.post(f"/reports/{submission.id}/review", {"decision": "approve"}).status_code == 302
    late = staff.post(f"/reports/{submission.id}/review", {"decision": "return", "comment": "补充"})
    assert late.status_code == 409 and "already been reviewed" in late.get_data(as_text=True)
    assert _stored(app, world)[0].status == "approved"


def test_wrong_reviewer_gets_404_and_own_school_403(app, world, make, school11, reviewer1):
    _submit(school11, world)
    [submission] = _stored(app, world)
    reviewer2 = _client(app, world, "reviewer2")
    assert reviewer2.get(f"/reports/{submission.id}").status_code == 404
    assert reviewer2.post(f"/reports/{submission.id}/review", {"decision": "approve"}).status_code == 404

    # Someone who reviews C1's schools but also holds a role at S11 itself.
    make.user(world.alpha, "dual", "central_reviewer", "C1")
    with app.app_context(), tenant_context(world.alpha.id):
        from tenancy.models import User
        from tenancy.users.operations import add_grant

        user = db.session.scalar(select(User).where(User.username == "dual"))
        add_grant(user, "school_admin", db.session.get(OrgUnit, world.alpha_orgs["S11"]))
        db.session.commit()
    dual = _client(app, world, "dual")
    page = dual.get(f"/reports/{submission.id}").get_data(as_text=True)
    assert 'name="decision"' not in page and 'id="own-school"' in page
    refused = dual.post(f"/reports/{submission.id}/review", {"decision": "approve"})
    assert refused.status_code == 403 and "hold a role" in refused.get_data(as_text=True)
    assert _stored(app, world)[0].status == "submitted"


def test_due_times_are_shown_in_the_tenants_zone(app, world, school11):
    with app.app_context(), tenant_context(world.alpha.id):
        set_setting("timezone", "Asia/Urumqi")
        set_setting("report_due_day", 31)
        db.session.commit()
    page = school11.get(f"/schools/{world.alpha_orgs['S11']}/reports/?year=2026").get_data(as_text=True)
    assert "2026-02-28 23:59" in page and "2026-04-30 23:59" in page and "2027-01-31 23:59" in page
    _submit(school11, world)
    [submission] = _stored(app, world)
    assert submission.due_at.isoformat() == "2026-04-30T17:59:59+00:00"


def test_grade_groups_have_no_reports_page(app, world):
    admin = _client(app, world, "admin")
    assert admin.get(f"/schools/{world.alpha_orgs['D1-G1']}/reports/").status_code == 404
    assert admin.get(f"/schools/{world.alpha_orgs['D1']}/reports/").status_code == 200
    assert admin.get(f"/schools/{world.alpha_orgs['C1']}/reports/").status_code == 404


def test_home_page_links_to_the_reports(app, world, school11):
    home = school11.get("/").get_data(as_text=True)
    assert f"/schools/{world.alpha_orgs['S11']}/reports/" in home
    assert "/review/reports" not in home  # school admins do not review
    reviewer = _client(app, world, "reviewer1")
    assert "/review/reports" in reviewer.get("/").get_data(as_text=True)


def test_submissions_while_redis_is_down_are_kept_and_processed_after(app, world, school11, run_jobs):
    from tenancy.jobs import reconcile
    from tenancy.models import OutboxItem
    from tenancy.scoping import unscoped

    real_url = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there: Redis is "down"
    try:
        for period in ("2026-03", "2026-04"):
            assert _submit(school11, world, period=period).status_code == 302
    finally:
        app.config["REDIS_URL"] = real_url
    assert [s.period.isoformat() for s in _stored(app, world)] == ["2026-03-01", "2026-04-01"]
    with app.app_context(), unscoped():
        waiting = db.session.scalars(select(OutboxItem).where(OutboxItem.finished_at.is_(None))).all()
        assert {item.job for item in waiting} == {"flags.refresh_unit"} and len(waiting) >= 2
    with app.app_context():
        assert reconcile(stale_after=timedelta(0)) >= 1  # Redis is back: the work is enqueued
    run_jobs()
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count()).where(OutboxItem.finished_at.is_(None))) == 0
