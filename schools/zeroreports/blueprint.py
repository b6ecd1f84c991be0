"""URL rules of the zeroreports pages."""

from flask import Blueprint

bp = Blueprint("zeroreports", __name__, url_prefix="/zero-reports")
