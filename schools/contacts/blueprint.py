"""URL rules of the contacts pages."""

from flask import Blueprint

bp = Blueprint("contacts", __name__, url_prefix="/schools/<int:school_id>/contacts")
