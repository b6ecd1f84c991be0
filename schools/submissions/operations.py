"""Writes to monthly reports: submit a month, approve or return it. Never commits.

Rules:
- only a month that is over (in the tenant's time zone) can be reported; the current and
  future months are refused;
- a month with a report waiting for review or already approved cannot be submitted again;
  a returned report is resubmitted as a new version (every version is kept, none changes);
- the reviewer unit is fixed when the report is submitted: the school's central school, or
  the bureau for a directly-run school (schools move; reports stay with their reviewer);
- reviewers are the reviewer unit's central-school reviewers, or bureau staff and admins
  (who may review every report); nobody reviews a report of a school where they hold a role;
- of two reviews of one report at the same time exactly one wins: the status changes with a
  conditional UPDATE (`… WHERE status = 'submitted'`), and the loser gets `ReviewConflict`.
Every write is audited and asks the flags job to recompute the school's flags.
"""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from schools.submissions.due import due_at, is_over
from schools.submissions.models import Submission
from schools.submissions.snapshot import month_snapshot
from schools.units import keeps_records, refresh_flags_later
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.roles import can
from tenancy.scoping import tenant_root

PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
NARRATIVE_MAX = 4000
COMMENT_MAX = 2000
DECISIONS = {"approve": "approved", "return": "returned"}
REVIEW_ACTIONS = {"approve": "submission.approve", "return": "submission.return"}


class SubmissionError(ValueError):
    """A report change that breaks a rule; `field` names the culprit, `status` the HTTP answer."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SubmissionConflict(SubmissionError):
    """The report's state changed (or already was) so the change cannot be made."""

    status = 409


class ReviewRefused(SubmissionError):
    """The user may see the report but may not review it."""

    status = 403


def parse_period(text: str | None) -> date:
    """Read a month written as YYYY-MM; return its first day."""
    match = PERIOD_PATTERN.match((text or "").strip())
    if match is None:
        raise SubmissionError(_("Give the month as YYYY-MM, for example 2026-03."), "period")
    return date(int(match.group(1)), int(match.group(2)), 1)


def reports_upward(unit: OrgUnit) -> bool:
    """Schools, kindergartens, teaching points and directly-run schools report; grade groups report
    through their school (its report covers them)."""
    return keeps_records(unit) and unit.kind != "grade_group"


def reviewer_unit_for(school: OrgUnit) -> OrgUnit:
    """The school's central school reviews its reports; the bureau reviews directly-run schools'."""
    parent = school.parent
    if parent is not None and parent.kind == "central":
        return parent
    return tenant_root()


def versions(school_id: int, period: date) -> list[Submission]:
    """Return every version of a school's report for a month, oldest first."""
    return list(
        db.session.scalars(
            select(Submission)
            .where(Submission.org_unit_id == school_id, Submission.period == period)
            .order_by(Submission.version)
        )
    )


def submit_problem(school: OrgUnit, period: date) -> SubmissionError | None:
    """Return why the month cannot be submitted now, or None when it can."""
    if not reports_upward(school):
        return SubmissionError(_("Grade groups report through their school."), "school_id")
    if not is_over(period):
        return SubmissionError(
            _(
                "Only a month that is over can be reported; %(month)s is not over yet.",
                month=f"{period:%Y-%m}",
            ),
            "period",
        )
    for version in versions(school.id, period):
        if version.status == "submitted":
            return SubmissionConflict(
                _("The report for %(month)s is waiting for review.", month=f"{period:%Y-%m}"), "period"
            )
        if version.status == "approved":
            return SubmissionConflict(
                _("The report for %(month)s has been approved.", month=f"{period:%Y-%m}"), "period"
            )
    return None


def submit_report(school: OrgUnit, period: date, narrative: str, user=None) -> Submission:
    """Freeze the month's figures with the narrative as the next version of the month's report."""
    narrative = (narrative or "").strip()
    if len(narrative) > NARRATIVE_MAX:
        raise SubmissionError(_("At most %(n)d characters.", n=NARRATIVE_MAX), "narrative")
    problem = submit_problem(school, period)
    if problem is not None:
        raise problem
    earlier = versions(school.id, period)
    reviewer = reviewer_unit_for(school)
    submission = Submission(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        reviewer_unit_id=reviewer.id,
        period=period,
        version=earlier[-1].version + 1 if earlier else 1,
        status="submitted",
        snapshot=month_snapshot(school, period),
        narrative=narrative,
        # A month has one due time, fixed by its first version (the setting may change later).
        due_at=earlier[0].due_at if earlier else due_at(period),
        submitted_at=utcnow().replace(microsecond=0),  # to the second: see due.py
        submitted_by_id=getattr(user, "id", None),
    )
    db.session.add(submission)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request submitted the same version of this month a moment ago.
        raise SubmissionConflict(
            _("The report for %(month)s was just submitted by someone else.", month=f"{period:%Y-%m}"),
            "period",
        ) from None
    changes = audit.snapshot(submission)
    changes.pop("snapshot", None)  # the frozen figures stay in the report itself
    audit.record(
        "submission.submit",
        submission,
        changes=changes,
        summary=f"{school.code} {period:%Y-%m} v{submission.version}",
    )
    refresh_flags_later(school.id)
    return submission


def holds_role_at(school: OrgUnit, user) -> bool:
    """Whether the user holds a role at the school itself (or one of its grade groups)."""
    return any(school.contains(grant.org_unit) for grant in user.grants)


def may_review(submission: Submission, user) -> bool:
    """Whether the user is a reviewer of the report: the reviewer unit's reviewer, or the bureau."""
    return can("report.review", submission.reviewer_unit, user)


def review_problem(submission: Submission, user) -> SubmissionError | None:
    """Return why the user cannot review the report now, or None when they can."""
    if not may_review(submission, user):
        return ReviewRefused(_("You are not a reviewer of this report."))
    if holds_role_at(submission.school, user):
        return ReviewRefused(_("You cannot review a report of a school where you hold a role."))
    if submission.status != "submitted":
        return SubmissionConflict(_("This report has already been reviewed."))
    return None


def review(submission: Submission, decision: str, comment: str, user) -> Submission:
    """Approve the report, or return it with a comment for resubmission."""
    problem = review_problem(submission, user)
    if isinstance(problem, ReviewRefused):
        raise problem
    if decision not in DECISIONS:
        raise SubmissionError(_("Choose approve or return."), "decision")
    comment = (comment or "").strip()
    if decision == "return" and not comment:
        raise SubmissionError(_("Say what must change: a comment is required to return a report."), "comment")
    if len(comment) > COMMENT_MAX:
        raise SubmissionError(_("At most %(n)d characters.", n=COMMENT_MAX), "comment")
    if problem is not None:
        raise problem
    status, reviewed_at = DECISIONS[decision], utcnow()
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.status == "submitted")
        .values(
            status=status, reviewed_at=reviewed_at, reviewed_by_id=user.id, review_comment=comment or None
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        # Someone else reviewed it between our read and our write: their decision stands.
        raise SubmissionConflict(
            _("Someone else reviewed this report a moment ago; reload to see their decision.")
        )
    db.session.refresh(submission)
    audit.record(
        REVIEW_ACTIONS[decision],
        submission,
        changes={
            "status": {"before": "submitted", "after": status},
            "reviewed_by_id": {"before": None, "after": user.id},
            "review_comment": {"before": None, "after": comment or None},
        },
        summary=f"{submission.school.code} {submission.period:%Y-%m} v{submission.version}",
    )
    refresh_flags_later(submission.org_unit_id)
    return submission
