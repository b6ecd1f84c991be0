"""URL rules of the incidents pages."""

from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/incidents")
