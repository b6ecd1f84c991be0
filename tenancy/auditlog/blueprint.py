"""URL rules of the audit trail pages."""

from flask import Blueprint

from tenancy.auditlog import views
from tenancy.auditlog.labels import action_label

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

bp.add_url_rule("/", view_func=views.list_events)
bp.add_app_template_filter(action_label, "audit_action")
