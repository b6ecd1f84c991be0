"""Browse the tenant's audit trail, filtered."""

from datetime import datetime, time, timedelta

from flask import render_template, request
from sqlalchemy import select

from tenancy.models import AuditEvent
from tenancy.settings.store import tenant_timezone
from tenancy.ui import paginate
from tenancy.web import require


def _day(name: str):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


@require("audit.read")
def list_events():
    """List audit events, newest first, filtered by actor, action, object and dates."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    filters = {
        key: request.args.get(key, "").strip() for key in ("actor", "action", "object_type", "object_id")
    }
    if filters["actor"]:
        query = query.where(AuditEvent.actor == filters["actor"])
    if filters["action"]:
        query = query.where(AuditEvent.action.startswith(filters["action"], autoescape=True))
    if filters["object_type"]:
        query = query.where(AuditEvent.object_type == filters["object_type"])
    if filters["object_id"]:
        query = query.where(AuditEvent.object_id == filters["object_id"])
    zone = tenant_timezone()
    since, until = _day("from"), _day("to")
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min, zone))
    if until:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min, zone))
    page = paginate(query)
    return render_template(
        "tenancy/auditlog/list.html",
        page=page,
        filters=filters,
        since=request.args.get("from", ""),
        until=request.args.get("to", ""),
    )
