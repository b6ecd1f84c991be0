"""URL rules of the platform operator pages."""

from flask import Blueprint

from tenancy.platform import views

bp = Blueprint("platform", __name__, url_prefix="/platform")

bp.add_url_rule("/tenants", view_func=views.list_tenants)
bp.add_url_rule("/tenants/new", view_func=views.new_tenant, methods=["GET", "POST"])
