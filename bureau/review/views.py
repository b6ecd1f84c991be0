"""The review queue of monthly reports: a central school's schools, or the whole district."""

from flask import render_template, request
from flask_login import current_user

from schools.submissions.labels import STATUS_LABELS, TIMELINESS_LABELS
from schools.submissions.models import SUBMISSION_STATUSES, Submission
from schools.submissions.operations import reports_upward
from schools.submissions.queries import QueueFilters, review_queue
from tenancy.extensions import db
from tenancy.orgs.queries import visible_units
from tenancy.ui import paginate
from tenancy.web import require


@require("report.review")
def list_reports():
    """Reports the user reviews, waiting ones first (oldest first); filter by status, month, school."""
    filters = QueueFilters.from_args(request.args)
    query = filters.apply(review_queue(current_user))
    if filters.status == "submitted":
        query = query.order_by(Submission.submitted_at, Submission.id)
    else:
        query = query.order_by(Submission.period.desc(), Submission.submitted_at.desc(), Submission.id.desc())
    schools = [unit for unit in db.session.scalars(visible_units(current_user)) if reports_upward(unit)]
    return render_template(
        "bureau/review/queue.html",
        page=paginate(query),
        filters=filters,
        schools=schools,
        statuses=SUBMISSION_STATUSES,
        status_labels=STATUS_LABELS,
        timeliness_labels=TIMELINESS_LABELS,
        args=request.args,
    )
