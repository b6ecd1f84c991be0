"""URL rules of the incidents pages."""

from flask import Blueprint

from schools.incidents import views
from schools.incidents.models import KINDS, SEVERITIES

bp = Blueprint("incidents", __name__)

bp.add_url_rule("/schools/<int:school_id>/incidents/", view_func=views.list_incidents)
bp.add_url_rule(
    "/schools/<int:school_id>/incidents/new", view_func=views.new_incident, methods=["GET", "POST"]
)
bp.add_url_rule("/incidents/", view_func=views.live)
bp.add_url_rule("/incidents/<int:incident_id>", view_func=views.show_incident)
bp.add_url_rule("/incidents/<int:incident_id>/reports", view_func=views.add_report, methods=["POST"])
bp.add_url_rule("/incidents/files/<int:attachment_id>", view_func=views.download_attachment)


@bp.app_template_filter("incident_kind")
def incident_kind(kind: str) -> str:
    return str(KINDS.get(kind, kind))


@bp.app_template_filter("incident_severity")
def incident_severity(severity: str) -> str:
    return str(SEVERITIES.get(severity, severity))
