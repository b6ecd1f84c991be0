"""URL rules of the drills pages."""

from flask import Blueprint

from schools.drills import views
from schools.drills.models import DRILL_KINDS, STATUS_LABELS

bp = Blueprint("drills", __name__)

bp.add_url_rule("/schools/<int:school_id>/drills/", endpoint="calendar", view_func=views.calendar)
bp.add_url_rule("/schools/<int:school_id>/drills/new", view_func=views.new_drill, methods=["GET", "POST"])
bp.add_url_rule("/drills/<int:drill_id>", view_func=views.show_drill)
bp.add_url_rule("/drills/<int:drill_id>/edit", view_func=views.edit_drill, methods=["GET", "POST"])
bp.add_url_rule("/drills/<int:drill_id>/delete", view_func=views.delete_drill, methods=["POST"])
bp.add_url_rule("/drills/<int:drill_id>/photos", view_func=views.add_photo, methods=["POST"])
bp.add_url_rule("/drills/photos/<int:photo_id>", view_func=views.photo)
bp.add_url_rule("/drills/photos/<int:photo_id>/delete", view_func=views.delete_photo, methods=["POST"])
bp.add_url_rule("/drills/overview", endpoint="overview", view_func=views.show_overview)
bp.add_url_rule("/drills/overview.xlsx", view_func=views.export_overview)


@bp.app_template_filter("drill_kind")
def drill_kind(kind: str) -> str:
    return str(DRILL_KINDS.get(kind, kind))


@bp.app_template_filter("obligation_status")
def obligation_status(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
