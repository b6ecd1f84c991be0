"""URL rules of the ledger upload pages."""

from flask import Blueprint

from schools.ledgers import views

bp = Blueprint("ledgers", __name__)

bp.add_url_rule(
    "/schools/<int:school_id>/ledgers/upload", view_func=views.upload_ledger, methods=["GET", "POST"]
)
bp.add_url_rule("/schools/<int:school_id>/ledgers/<token>", view_func=views.confirm_ledger, methods=["POST"])
bp.add_url_rule("/ledgers/template.xlsx", view_func=views.download_template)
