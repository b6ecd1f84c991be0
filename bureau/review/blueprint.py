"""URL rules of the review pages."""

from flask import Blueprint

from bureau.review import views

bp = Blueprint("review", __name__)

bp.add_url_rule("/review/reports", view_func=views.list_reports)
