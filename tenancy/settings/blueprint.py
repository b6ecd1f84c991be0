"""URL rules of the settings page."""

from flask import Blueprint

from tenancy.settings import views

bp = Blueprint("settings", __name__, url_prefix="/settings")

bp.add_url_rule("/", view_func=views.edit_settings, methods=["GET", "POST"])
