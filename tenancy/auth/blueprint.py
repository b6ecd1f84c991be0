"""URL rules of login, logout and the account page."""

from flask import Blueprint

from tenancy.auth import views

bp = Blueprint("auth", __name__)

bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/platform/login", view_func=views.operator_login, methods=["GET", "POST"])
bp.add_url_rule("/language", view_func=views.set_language, methods=["POST"])
bp.add_url_rule("/account", view_func=views.account, methods=["GET"])
bp.add_url_rule("/account/password", view_func=views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/account/tokens", view_func=views.create_token, methods=["POST"])
bp.add_url_rule("/account/tokens/<int:token_id>/revoke", view_func=views.revoke_token, methods=["POST"])
