"""URL rules of the duty pages."""

from flask import Blueprint

from schools.duty import views

bp = Blueprint("duty", __name__)

bp.add_url_rule("/schools/<int:school_id>/duty/", view_func=views.roster)
bp.add_url_rule("/schools/<int:school_id>/duty/month", view_func=views.save_month, methods=["POST"])
bp.add_url_rule("/schools/<int:school_id>/duty/copy-week", view_func=views.copy_week, methods=["POST"])
bp.add_url_rule("/duty/today", view_func=views.today)
