"""URL rules of the org-tree pages."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from tenancy.orgs import views

bp = Blueprint("orgs", __name__, url_prefix="/orgs")

bp.add_url_rule("/", view_func=views.list_orgs)
bp.add_url_rule("/<int:org_id>", view_func=views.show_org)
bp.add_url_rule("/<int:org_id>/edit", view_func=views.edit_org, methods=["GET", "POST"])
bp.add_url_rule("/<int:org_id>/children/new", view_func=views.new_child, methods=["GET", "POST"])
bp.add_url_rule("/<int:org_id>/move", view_func=views.move_org, methods=["POST"])
bp.add_url_rule("/<int:org_id>/active", view_func=views.set_active, methods=["POST"])
bp.add_url_rule("/import", view_func=views.import_orgs, methods=["GET", "POST"])
bp.add_url_rule("/import/<token>", view_func=views.confirm_import, methods=["POST"])

IMPORT_ACTIONS = {
    "create": _l("add"),
    "update": _l("change"),
    "move": _l("move"),
    "unchanged": _l("unchanged"),
}


@bp.app_template_filter("import_action")
def import_action(action: str) -> str:
    return IMPORT_ACTIONS.get(action, "")
