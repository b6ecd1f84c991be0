"""URL rules of the duty pages."""

from flask import Blueprint

bp = Blueprint("duty", __name__, url_prefix="/schools/<int:school_id>/duty")
