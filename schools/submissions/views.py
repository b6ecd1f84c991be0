"""Monthly report pages: a school's reporting year, submitting a month, a report and its review."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES
from schools.submissions import operations
from schools.submissions.due import current_period, due_at
from schools.submissions.forms import ReviewForm, SubmitForm
from schools.submissions.labels import MEASURE_LABELS, STATUS_LABELS, TIMELINESS_LABELS
from schools.submissions.models import Submission
from schools.submissions.queries import school_year
from schools.submissions.snapshot import MEASURES, month_snapshot
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today
from tenancy.ui import int_arg
from tenancy.web import require

LABELS = {
    "categories": CATEGORIES,
    "levels": LEVELS,
    "sources": SOURCES,
    "measures": MEASURES,
    "measure_labels": MEASURE_LABELS,
    "status_labels": STATUS_LABELS,
    "timeliness_labels": TIMELINESS_LABELS,
}


def _reporting_school(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a unit that reports upward in scope; grade groups report through their school (404)."""
    school = get_school_or_404(school_id, permission=permission)
    if not operations.reports_upward(school):
        abort(404)
    return school


@require("read")
def list_reports(school_id: int):
    """The school's reporting year: each month's due time, status, timeliness and versions."""
    school = _reporting_school(school_id)
    year = int_arg("year", tenant_today().year, 2000, 2100)
    return render_template(
        "schools/submissions/list.html",
        school=school,
        crumbs=breadcrumbs(school),
        year=year,
        rows=school_year(school, year),
        may_submit=can("report.submit", school),
        **LABELS,
    )


def _previous_month() -> str:
    this_month = current_period()
    return f"{this_month.year - (this_month.month == 1)}-{(this_month.month - 2) % 12 + 1:02d}"


@require("read")
def submit_report(school_id: int):
    """Preview a month's frozen figures and submit them with a narrative (GET ?period=YYYY-MM)."""
    school = _reporting_school(school_id, permission="report.submit")
    form = SubmitForm()
    if request.method == "GET":
        form.period.data = request.args.get("period") or _previous_month()
    period, preview, problem, earlier, due = None, None, None, [], None
    try:
        period = operations.parse_period(form.period.data)
        problem = operations.submit_problem(school, period)
    except operations.SubmissionError as error:
        problem = error
    if period is not None:
        earlier = operations.versions(school.id, period)
        due = earlier[0].due_at if earlier else due_at(period)
        if request.method == "GET" and earlier and earlier[-1].status == "returned":
            form.narrative.data = earlier[-1].narrative  # start from the returned version's text
    status = 200
    if form.validate_on_submit():
        try:
            submission = operations.submit_report(school, period, form.narrative.data, current_user)
            db.session.commit()
            flash(
                _(
                    "The report for %(month)s was submitted (version %(n)d).",
                    month=form.period.data,
                    n=submission.version,
                ),
                "success",
            )
            return redirect(url_for("submissions.show_report", submission_id=submission.id))
        except operations.SubmissionError as error:
            db.session.rollback()
            problem = error
    if problem is not None and problem.field in ("period", "narrative"):
        field = getattr(form, problem.field)
        if str(problem) not in [str(e) for e in field.errors]:
            field.errors = [*field.errors, str(problem)]
    if request.method == "POST":
        status = problem.status if problem is not None else 400
    if period is not None and problem is None:
        preview = month_snapshot(school, period)
    return render_template(
        "schools/submissions/submit.html",
        school=school,
        crumbs=breadcrumbs(school),
        form=form,
        period=period,
        due=due,
        preview=preview,
        previous=earlier[-1] if earlier else None,
        **LABELS,
    ), status


def _show(submission: Submission, review_form: ReviewForm | None = None, review_error: str = "", status=200):
    school = submission.school
    may_review = operations.may_review(submission, current_user)
    own_school = operations.holds_role_at(school, current_user)
    all_versions = operations.versions(school.id, submission.period)
    return render_template(
        "schools/submissions/detail.html",
        submission=submission,
        school=school,
        crumbs=breadcrumbs(school),
        versions=all_versions,
        latest=all_versions[-1],
        review_form=review_form or ReviewForm(),
        review_error=review_error,
        show_review=may_review and not own_school and submission.status == "submitted",
        own_school=may_review and own_school,
        may_resubmit=can("report.submit", school) and all_versions[-1].status == "returned",
        **LABELS,
    ), status


@require("read")
def show_report(submission_id: int):
    """A report: its frozen figures, narrative, versions and reviews; the review form for reviewers."""
    return _show(get_scoped_or_404(Submission, submission_id))


@require("read")
def review_report(submission_id: int):
    """Approve a report, or return it with a comment."""
    submission = get_scoped_or_404(Submission, submission_id)
    if not operations.may_review(submission, current_user):
        abort(403)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _show(submission, form, status=400)
    try:
        operations.review(submission, form.decision.data, form.comment.data or "", current_user)
        db.session.commit()
    except operations.SubmissionError as error:
        db.session.rollback()
        db.session.refresh(submission)
        if error.field in ("decision", "comment"):
            getattr(form, error.field).errors = [*getattr(form, error.field).errors, str(error)]
            return _show(submission, form, status=error.status)
        return _show(submission, form, review_error=str(error), status=error.status)
    if submission.status == "approved":
        flash(_("Report approved."), "success")
    else:
        flash(_("Report returned to the school for resubmission."), "success")
    return redirect(url_for("submissions.show_report", submission_id=submission.id))
