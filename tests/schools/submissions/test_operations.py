"""Submitting and reviewing monthly reports: versions, reviewers, conflicts, audit and flags work."""

import contextvars
from datetime import date

import pytest
from flask import g
from sqlalchemy import func, select

from schools.submissions.models import Submission
from schools.submissions.operations import (
    ReviewRefused,
    SubmissionConflict,
    SubmissionError,
    parse_period,
    review,
    submit_report,
)
from tenancy.extensions import db
from tenancy.jobs import JOBS, JobSpec
from tenancy.models import AuditEvent, OutboxItem
from tenancy.settings.store import set_setting
from tenancy.users.operations import add_grant

MARCH = date(2026, 3, 1)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_reviewer_unit_is_the_central_school_or_the_bureau(alpha):
    reports = {
        code: submit_report(alpha.unit(code), MARCH, "", alpha.user("admin")) for code in ("S11", "S21", "D1")
    }
    assert reports["S11"].reviewer_unit.code == "C1"
    assert reports["S21"].reviewer_unit.code == "C2"
    assert reports["D1"].reviewer_unit.code == "ALPHA"  # directly-run: straight to the bureau
    assert {r.version for r in reports.values()} == {1}
    assert reports["S11"].submitted_by_id == alpha.user("admin").id


def test_a_returned_report_is_resubmitted_as_a_new_version(alpha):
    school = alpha.unit("S11")
    first = submit_report(school, MARCH, "初稿", alpha.user("school11"))
    with pytest.raises(SubmissionConflict) as pending:
        submit_report(school, MARCH, "再交一次", alpha.user("school11"))
    assert pending.value.field == "period" and "waiting for review" in str(pending.value)

    review(first, "return", "请补充食堂隐患整改情况", alpha.user("reviewer1"))
    set_setting("report_due_day", 20)  # a later change of the setting does not move the month's due time
    second = submit_report(school, MARCH, "补充了整改情况", alpha.user("school11"))
    assert second.version == 2 and second.status == "submitted"
    review(second, "approve", "", alpha.user("reviewer1"))
    db.session.commit()

    with pytest.raises(SubmissionConflict) as approved:
        submit_report(school, MARCH, "", alpha.user("school11"))
    assert "approved" in str(approved.value)
    versions = db.session.scalars(select(Submission).order_by(Submission.version)).all()
    assert [(v.version, v.status, v.narrative) for v in versions] == [
        (1, "returned", "初稿"),
        (2, "approved", "补充了整改情况"),
    ]
    assert versions[0].review_comment == "请补充食堂隐患整改情况"
    assert versions[1].reviewed_by_id == alpha.user("reviewer1").id
    assert versions[0].due_at == versions[1].due_at


@pytest.mark.parametrize("text", ["2026-13", "2026-3", "March", "", None, "2026-03-01", "26-03"])
def test_bad_periods_name_the_field(text):
    with pytest.raises(SubmissionError) as error:
        parse_period(text)
    assert error.value.field == "period"


def test_grade_groups_report_through_their_school(alpha):
    with pytest.raises(SubmissionError) as error:
        submit_report(alpha.unit("D1-G1"), MARCH, "", alpha.user("admin"))
    assert error.value.field == "school_id"
    assert _count(Submission) == 0


def test_review_needs_a_comment_to_return_and_a_known_decision(alpha):
    submission = submit_report(alpha.unit("S11"), MARCH, "", alpha.user("school11"))
    db.session.commit()
    for decision, comment, field in (("return", "  ", "comment"), ("fly", "ok", "decision")):
        with pytest.raises(SubmissionError) as error:
            review(submission, decision, comment, alpha.user("reviewer1"))
        assert error.value.field == field
    db.session.rollback()
    assert submission.status == "submitted" and submission.reviewed_at is None
    assert _count(AuditEvent, AuditEvent.action.like("submission.%")) == 1  # the submit only


def test_who_may_review(app, world, make, alpha):
    s11 = submit_report(alpha.unit("S11"), MARCH, "", alpha.user("school11"))
    d1 = submit_report(alpha.unit("D1"), MARCH, "", alpha.user("admin"))
    db.session.commit()
    for name, report in (("reviewer2", s11), ("reviewer1", d1), ("viewer", s11), ("school11", s11)):
        with pytest.raises(ReviewRefused):
            review(report, "approve", "", alpha.user(name))
    # A central reviewer who also holds a role at the school cannot review its report.
    add_grant(alpha.user("reviewer1"), "school_admin", alpha.unit("S11"))
    db.session.commit()
    with pytest.raises(ReviewRefused) as own:
        review(s11, "approve", "", alpha.user("reviewer1"))
    assert "hold a role" in str(own.value)
    # Bureau staff review everything, directly-run schools included.
    review(s11, "approve", "", alpha.user("staff"))
    review(d1, "return", "补充", alpha.user("admin"))
    db.session.commit()
    assert (s11.status, d1.status) == ("approved", "returned")
    with pytest.raises(SubmissionConflict):
        review(s11, "return", "再看看", alpha.user("admin"))


def _session(app, tenant_id):
    """A separate app context (so a separate database session) that can be re-entered later."""
    context = contextvars.copy_context()

    def enter():
        app_context = app.app_context()
        app_context.push()
        g.tenant_id = tenant_id
        return app_context

    return context, context.run(enter)


def test_concurrent_reviews_exactly_one_wins(app, world, alpha):
    submission_id = submit_report(alpha.unit("S11"), MARCH, "", alpha.user("school11")).id
    db.session.commit()

    def load(reviewer):
        report = db.session.get(Submission, submission_id)
        user = alpha.user(reviewer)
        assert report.status == "submitted"
        return report, user

    first, first_app = _session(app, world.alpha.id)
    second, second_app = _session(app, world.alpha.id)
    try:
        report_a, reviewer_a = first.run(load, "reviewer1")
        report_b, reviewer_b = second.run(load, "staff")
        assert report_a is not report_b  # two sessions, each holding the report as 'submitted'

        def approve():
            review(report_a, "approve", "", reviewer_a)
            db.session.commit()

        def send_back():
            try:
                review(report_b, "return", "请补充", reviewer_b)
            finally:
                db.session.rollback()

        first.run(approve)
        with pytest.raises(SubmissionConflict) as conflict:
            second.run(send_back)
        # The loser gets the review conflict (409) with a message, in whatever language is active.
        assert conflict.value.status == 409 and conflict.value.field != "period" and str(conflict.value)
    finally:
        second.run(second_app.pop)
        first.run(first_app.pop)

    db.session.expire_all()
    stored = db.session.get(Submission, submission_id)
    assert (stored.status, stored.reviewed_by_id, stored.review_comment) == (
        "approved",
        world.alpha_users["reviewer1"],
        None,
    )
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("submission.%")))
    assert sorted(actions) == ["submission.approve", "submission.submit"]


def test_every_write_is_audited(alpha):
    submission = submit_report(alpha.unit("S11"), MARCH, "三月", alpha.user("school11"))
    review(submission, "return", "补充", alpha.user("reviewer1"))
    again = submit_report(alpha.unit("S11"), MARCH, "三月补充", alpha.user("school11"))
    review(again, "approve", "", alpha.user("reviewer1"))
    db.session.commit()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "Submission").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.object_id) for e in events] == [
        ("submission.submit", str(submission.id)),
        ("submission.return", str(submission.id)),
        ("submission.submit", str(again.id)),
        ("submission.approve", str(again.id)),
    ]
    assert events[1].changes["status"] == {"before": "submitted", "after": "returned"}
    assert events[1].changes["review_comment"]["after"] == "补充"
    assert "snapshot" not in events[0].changes and events[0].changes["version"]["after"] == 1


FLAGS_RUNS: list[int] = []


def _stub_flags_job(org_unit_id: int) -> None:
    FLAGS_RUNS.append(org_unit_id)


@pytest.fixture
def flags_job(monkeypatch):
    """The flags job when its module is loaded; a stand-in until then, so the outbox path is tested."""
    FLAGS_RUNS.clear()
    stub = "flags.refresh_unit" not in JOBS
    if stub:
        monkeypatch.setitem(JOBS, "flags.refresh_unit", JobSpec("flags.refresh_unit", _stub_flags_job))
    return stub


def test_every_write_asks_for_the_schools_flags(app, world, alpha, flags_job, run_jobs):
    school_id = world.alpha_orgs["S11"]
    submission = submit_report(alpha.unit("S11"), MARCH, "", alpha.user("school11"))
    db.session.commit()
    review(submission, "return", "补充", alpha.user("reviewer1"))
    db.session.commit()
    items = db.session.scalars(select(OutboxItem).order_by(OutboxItem.id)).all()
    assert [(i.job, i.key, i.args) for i in items] == [
        ("flags.refresh_unit", f"flags:{school_id}", {"org_unit_id": school_id})
    ] * 2
    if flags_job:  # the stand-in runs through a real worker
        run_jobs()
        assert set(FLAGS_RUNS) == {school_id}
        db.session.expire_all()
        assert _count(OutboxItem, OutboxItem.finished_at.is_(None)) == 0


def test_refused_work_leaves_no_outbox_item(alpha, flags_job):
    with pytest.raises(SubmissionError):
        submit_report(alpha.unit("S11"), date(2999, 1, 1), "", alpha.user("school11"))
    db.session.rollback()
    assert _count(OutboxItem) == 0 and _count(Submission) == 0
