"""Incident pages: a school's incidents, reporting one, an incident with its reports, the live list."""

from datetime import date, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from schools.contacts.models import PARTNER_KINDS
from schools.contacts.queries import INCIDENT_PARTNERS, contacts_for_incident
from schools.contacts.views import area_unit
from schools.files import send_stored
from schools.incidents import operations
from schools.incidents.forms import IncidentForm, ReportForm
from schools.incidents.models import (
    FACT_LABELS,
    KINDS,
    ON_TIME_MINUTES,
    REPORT_KINDS,
    SEVERITIES,
    STATUSES,
    Incident,
    IncidentAttachment,
)
from schools.incidents.queries import filter_incidents, live_order, subtree_incidents
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_timezone
from tenancy.ui import paginate
from tenancy.web import form_status, require

LABELS = {
    "kinds": KINDS,
    "severities": SEVERITIES,
    "statuses": STATUSES,
    "report_kinds": REPORT_KINDS,
    "partner_kinds": PARTNER_KINDS,
    "on_time_minutes": ON_TIME_MINUTES,
    "fact_labels": FACT_LABELS,
}
REPORT_FORM_KINDS = ("follow_up", "closing")


def _incident_school(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a school that reports incidents in scope; grade groups report through their school (404)."""
    school = get_school_or_404(school_id, permission=permission)
    if not operations.keeps_incidents(school):
        abort(404)
    return school


def _day_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> dict:
    """The list filters from the query string (bad values are dropped)."""
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    return {
        "status": status if status in STATUSES else "",
        "kind": kind if kind in KINDS else "",
        "serious": request.args.get("serious") == "1",
        "first_day": _day_arg("from"),
        "last_day": _day_arg("to"),
    }


def _files(form) -> list[tuple[bytes, str]]:
    upload = form.attachment.data
    return [(upload.read(), upload.filename)] if upload and getattr(upload, "filename", "") else []


def _show_error(form, error: operations.IncidentError) -> None:
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


@require("read")
def list_incidents(school_id: int):
    """The school's incidents, newest first, with their lag."""
    school = _incident_school(school_id)
    filters = _filters()
    query = filter_incidents(select(Incident), school_id=school.id, **filters)
    page = paginate(query.order_by(Incident.occurred_at.desc(), Incident.id.desc()))
    return render_template(
        "schools/incidents/list.html",
        school=school,
        crumbs=breadcrumbs(school),
        page=page,
        filters=filters,
        may_report=can("incident.report", school),
        **LABELS,
    )


@require("read")
def new_incident(school_id: int):
    """Report an incident: the first report; the platform's time is the time reported."""
    school = _incident_school(school_id, permission="incident.report")
    form = IncidentForm()
    if request.method == "GET":
        form.occurred_at.data = datetime.now(tenant_timezone()).strftime(operations.LOCAL_FORMAT)
        for name in operations.COUNT_FIELDS:
            getattr(form, name).data = 0
    if form.validate_on_submit():
        try:
            incident = operations.report_incident(school, form.data, current_user, files=_files(form))
            db.session.commit()
            if incident.is_late:
                flash(
                    _(
                        "Incident reported %(minutes)d minutes after it happened: later than one hour.",
                        minutes=incident.lag_minutes,
                    ),
                    "error",
                )
            else:
                flash(_("Incident reported."), "success")
            return redirect(url_for("incidents.show_incident", incident_id=incident.id))
        except operations.IncidentError as error:
            db.session.rollback()
            _show_error(form, error)
    return render_template(
        "schools/incidents/form.html", school=school, crumbs=breadcrumbs(school), form=form, **LABELS
    ), form_status()


def _report_forms(incident: Incident) -> dict[str, ReportForm]:
    forms = {}
    for kind in REPORT_FORM_KINDS:
        form = ReportForm(prefix=kind, formdata=None)
        form.severity.data = incident.severity
        for name in operations.COUNT_FIELDS:
            getattr(form, name).data = getattr(incident, name)
        form.is_responsibility_accident.data = incident.is_responsibility_accident
        forms[kind] = form
    return forms


def _show(incident: Incident, forms: dict[str, ReportForm] | None = None, status: int = 200):
    school = incident.school
    may_report = can("incident.report", school) and incident.status == "open"
    return render_template(
        "schools/incidents/detail.html",
        incident=incident,
        school=school,
        crumbs=breadcrumbs(school),
        contacts=contacts_for_incident(school, incident.kind),
        partner_kinds_needed=INCIDENT_PARTNERS.get(incident.kind, ()),
        may_report=may_report,
        forms=forms or (_report_forms(incident) if may_report else {}),
        **LABELS,
    ), status


@require("read")
def show_incident(incident_id: int):
    """An incident: its facts, lag, timeline of reports, the partners to call, the report forms."""
    return _show(get_scoped_or_404(Incident, incident_id))


@require("read")
def add_report(incident_id: int):
    """Add a follow-up (续报) or the closing report (结案报告) to this incident."""
    incident = get_scoped_or_404(Incident, incident_id, permission="incident.report")
    kind = request.form.get("kind", "")
    if kind not in REPORT_FORM_KINDS:
        abort(400)
    forms = _report_forms(incident)
    form = forms[kind] = ReportForm(prefix=kind)
    if form.validate():
        try:
            operations.add_report(incident, kind, form.data, current_user, files=_files(form))
            db.session.commit()
            flash(_("Incident closed.") if kind == "closing" else _("Follow-up report added."), "success")
            return redirect(url_for("incidents.show_incident", incident_id=incident.id))
        except operations.IncidentError as error:
            db.session.rollback()
            db.session.refresh(incident)
            if error.status != 400:
                flash(str(error), "error")
                return _show(incident, status=error.status)
            _show_error(form, error)
    return _show(incident, forms, status=400)


@require("read")
def download_attachment(attachment_id: int):
    """Serve a report's file to users who can see its incident."""
    item = get_scoped_or_404(IncidentAttachment, attachment_id)
    return send_stored(
        operations.attachment_path(item),
        mimetype=item.content_type,
        download_name=item.original_name,
        as_attachment=item.content_type == "application/pdf",
    )


@require("read")
def live():
    """Open incidents of the user's area, serious first, newest first (filters widen or narrow it)."""
    unit = area_unit()
    filters = _filters()
    if "status" not in request.args:
        filters["status"] = "open"
    page = paginate(live_order(filter_incidents(subtree_incidents(unit), **filters)))
    return render_template(
        "schools/incidents/live.html",
        unit=unit,
        crumbs=breadcrumbs(unit),
        page=page,
        filters=filters,
        **LABELS,
    )
