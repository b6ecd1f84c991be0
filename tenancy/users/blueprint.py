"""URL rules of the user admin pages."""

from flask import Blueprint

from tenancy.users import views

bp = Blueprint("users", __name__, url_prefix="/users")

bp.add_url_rule("/", view_func=views.list_users)
bp.add_url_rule("/new", view_func=views.new_user, methods=["GET", "POST"])
bp.add_url_rule("/<int:user_id>", view_func=views.show_user, methods=["GET", "POST"])
bp.add_url_rule("/<int:user_id>/enabled", view_func=views.set_enabled, methods=["POST"])
bp.add_url_rule("/<int:user_id>/password", view_func=views.reset_password, methods=["POST"])
bp.add_url_rule("/<int:user_id>/unlock", view_func=views.unlock, methods=["POST"])
bp.add_url_rule("/<int:user_id>/grants", view_func=views.add_grant, methods=["POST"])
bp.add_url_rule("/<int:user_id>/grants/<int:grant_id>/delete", view_func=views.remove_grant, methods=["POST"])
