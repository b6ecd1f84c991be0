"""URL rules of the operator's failed-jobs pages (/readyz is registered beside /healthz)."""

from flask import Blueprint

from tenancy.ops import views

bp = Blueprint("ops", __name__, url_prefix="/platform/jobs")

bp.add_url_rule("/failed", view_func=views.list_failed_jobs)
bp.add_url_rule("/failed/<job_id>", view_func=views.show_failed_job)
bp.add_url_rule("/failed/<job_id>/retry", view_func=views.retry_failed_job, methods=["POST"])
bp.add_url_rule("/failed/<job_id>/discard", view_func=views.discard_failed_job, methods=["POST"])
