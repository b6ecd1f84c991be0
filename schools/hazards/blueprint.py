"""URL rules of the hazard pages."""

from flask import Blueprint

from schools.hazards import views
from schools.hazards.lifecycle import EVENT_LABELS

bp = Blueprint("hazards", __name__)

bp.add_url_rule("/schools/<int:school_id>/hazards/", view_func=views.list_hazards)
bp.add_url_rule("/schools/<int:school_id>/hazards/export.xlsx", view_func=views.export_hazards)
bp.add_url_rule("/schools/<int:school_id>/hazards/new", view_func=views.new_hazard, methods=["GET", "POST"])
bp.add_url_rule("/hazards/<int:hazard_id>", view_func=views.show_hazard)
bp.add_url_rule("/hazards/<int:hazard_id>/edit", view_func=views.edit_hazard, methods=["GET", "POST"])
bp.add_url_rule("/hazards/<int:hazard_id>/steps", view_func=views.take_step, methods=["POST"])
bp.add_url_rule("/hazards/<int:hazard_id>/evidence", view_func=views.add_evidence, methods=["POST"])
bp.add_url_rule("/evidence/<int:evidence_id>", view_func=views.download_evidence)
bp.add_url_rule("/supervision", view_func=views.supervision)


@bp.app_template_filter("hazard_action")
def hazard_action(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))
