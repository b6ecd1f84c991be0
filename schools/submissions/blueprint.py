"""URL rules of the monthly report pages."""

from flask import Blueprint

from schools.submissions import views
from schools.submissions.labels import STATUS_LABELS

bp = Blueprint("submissions", __name__)

bp.add_url_rule("/schools/<int:school_id>/reports/", view_func=views.list_reports)
bp.add_url_rule(
    "/schools/<int:school_id>/reports/submit", view_func=views.submit_report, methods=["GET", "POST"]
)
bp.add_url_rule("/reports/<int:submission_id>", view_func=views.show_report)
bp.add_url_rule("/reports/<int:submission_id>/review", view_func=views.review_report, methods=["POST"])


@bp.app_template_filter("submission_status")
def submission_status(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_filter("month")
def month(value) -> str:
    """A report period as YYYY-MM."""
    return value.strftime("%Y-%m") if value else ""
