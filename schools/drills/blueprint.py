"""URL rules of the drills pages."""

from flask import Blueprint

bp = Blueprint("drills", __name__, url_prefix="/schools/<int:school_id>/drills")
