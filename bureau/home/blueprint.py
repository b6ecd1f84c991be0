"""URL rules of the start page."""

from flask import Blueprint

from bureau.home import views

bp = Blueprint("home", __name__)

bp.add_url_rule("/", view_func=views.index)
