"""URL rules of the zeroreports pages."""

from flask import Blueprint

from schools.zeroreports import views

bp = Blueprint("zeroreports", __name__, url_prefix="/zero-reports")

bp.add_url_rule("/", view_func=views.list_windows)
bp.add_url_rule("/new", view_func=views.open_window, methods=["GET", "POST"])
bp.add_url_rule("/<int:window_id>", view_func=views.show_window)
bp.add_url_rule("/<int:window_id>/end", view_func=views.change_end, methods=["POST"])
bp.add_url_rule("/<int:window_id>/switch-off", view_func=views.switch_off, methods=["POST"])
bp.add_url_rule("/<int:window_id>/export.xlsx", view_func=views.export_window)
bp.add_url_rule("/schools/<int:school_id>", view_func=views.school_days)
bp.add_url_rule("/schools/<int:school_id>/report", view_func=views.submit_report, methods=["POST"])
