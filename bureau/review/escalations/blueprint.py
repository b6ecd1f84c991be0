"""URL rules of the escalation queue."""

from flask import Blueprint

from bureau.review.escalations import views

bp = Blueprint("escalations", __name__, url_prefix="/review/escalations")

bp.add_url_rule("/", view_func=views.list_escalations)
bp.add_url_rule("/<int:hazard_id>", view_func=views.show_escalation)
bp.add_url_rule("/<int:hazard_id>/notes", view_func=views.add_note, methods=["POST"])
bp.add_url_rule("/<int:hazard_id>/steps", view_func=views.take_step, methods=["POST"])
