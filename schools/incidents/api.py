"""/api/v1/incidents: list, read and report incidents; add follow-up and closing reports."""

from flask import Blueprint
from flask_login import current_user

from schools.incidents import operations
from schools.incidents.models import Incident
from schools.incidents.queries import filter_incidents, live_order, visible_incidents
from schools.incidents.schemas import (
    IncidentCreateSchema,
    IncidentQuerySchema,
    IncidentReportCreateSchema,
    IncidentReportSchema,
    IncidentSchema,
)
from schools.units import get_school_or_404
from tenancy.api.base import documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List incidents in scope, serious first then newest (from/to: local days it happened)",
    response=IncidentSchema(exclude=("reports",)),
    query=IncidentQuerySchema(),
    paginated=True,
)
def list_incidents():
    args = load_args(IncidentQuerySchema())
    if "school_id" in args:
        get_school_or_404(args["school_id"])
    query = filter_incidents(
        visible_incidents(),
        school_id=args.get("school_id"),
        status=args.get("status", ""),
        kind=args.get("kind", ""),
        serious=args.get("serious", False),
        first_day=args.get("from_"),
        last_day=args.get("to"),
    )
    return paginated(live_order(query), IncidentSchema(exclude=("reports",)))


@documented(
    summary="Report an incident (the first report); reported_at is the platform's time now",
    response=IncidentSchema(),
    body=IncidentCreateSchema(),
)
def create_incident():
    values = IncidentCreateSchema().load(json_body())
    school = get_school_or_404(values["school_id"], permission="incident.report")
    try:
        incident = operations.report_incident(school, values, current_user)
    except operations.IncidentError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return IncidentSchema().dump(incident), 201


@documented(summary="One incident with its reports", response=IncidentSchema())
def get_incident(incident_id: int):
    return IncidentSchema().dump(get_scoped_or_404(Incident, incident_id))


@documented(
    summary="Add a follow-up (续报) or the closing report (结案报告); 409 when the incident is closed",
    response=IncidentReportSchema(),
    body=IncidentReportCreateSchema(),
)
def create_incident_report(incident_id: int):
    incident = get_scoped_or_404(Incident, incident_id, permission="incident.report")
    values = IncidentReportCreateSchema().load(json_body())
    try:
        report = operations.add_report(incident, values.pop("kind"), values, current_user)
    except operations.IncidentError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return IncidentReportSchema().dump(report), 201


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
    bp.add_url_rule("/incidents", view_func=list_incidents, methods=["GET"])
    bp.add_url_rule("/incidents", endpoint="create_incident", view_func=create_incident, methods=["POST"])
    bp.add_url_rule("/incidents/<int:incident_id>", view_func=get_incident, methods=["GET"])
    bp.add_url_rule(
        "/incidents/<int:incident_id>/reports", view_func=create_incident_report, methods=["POST"]
    )
