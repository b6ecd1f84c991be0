"""URL rules of a school's campus-grid pages."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from schools.grid import queries, views

bp = Blueprint("grid", __name__, url_prefix="/schools/<int:school_id>/grid")

bp.add_url_rule("/", view_func=views.list_cells)
bp.add_url_rule("/cells/new", view_func=views.new_cell, methods=["GET", "POST"])
bp.add_url_rule("/cells/<int:cell_id>", view_func=views.show_cell)
bp.add_url_rule("/cells/<int:cell_id>/edit", view_func=views.edit_cell, methods=["GET", "POST"])
bp.add_url_rule("/cells/<int:cell_id>/close", view_func=views.close_cell, methods=["POST"])
bp.add_url_rule("/cells/<int:cell_id>/owner", view_func=views.assign_owner, methods=["POST"])
bp.add_url_rule("/cells/<int:cell_id>/handover", view_func=views.hand_over, methods=["POST"])
bp.add_url_rule("/cells/<int:cell_id>/deputies", view_func=views.add_deputy, methods=["POST"])
bp.add_url_rule(
    "/cells/<int:cell_id>/deputies/<int:ownership_id>/end", view_func=views.end_deputy, methods=["POST"]
)
bp.add_url_rule("/staff/", view_func=views.list_staff)
bp.add_url_rule("/staff/new", view_func=views.new_staff, methods=["GET", "POST"])
bp.add_url_rule("/staff/<int:staff_id>/edit", view_func=views.edit_staff, methods=["GET", "POST"])
bp.add_url_rule("/coverage", view_func=views.coverage)
bp.add_url_rule("/chart", view_func=views.chart)
bp.add_url_rule("/chart.xlsx", view_func=views.export_chart)
bp.add_url_rule("/import", view_func=views.import_grid, methods=["GET", "POST"])
bp.add_url_rule("/import/<token>", view_func=views.confirm_import, methods=["POST"])

IMPORT_ACTIONS = {
    "create": _l("add"),
    "update": _l("change"),
    "unchanged": _l("unchanged"),
    "assign": _l("first owner"),
    "hand_over": _l("handover"),
    "keep": _l("same owner"),
}


@bp.app_template_filter("grid_import_action")
def grid_import_action(action: str) -> str:
    return str(IMPORT_ACTIONS.get(action, ""))


@bp.app_template_global("grid_keeper_only")
def grid_keeper_only(school) -> bool:
    """Whether the current user sees the school's grid only as a grid keeper."""
    return queries.keeper_only(school)
