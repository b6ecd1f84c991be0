"""URL rules of the letters pages."""

from flask import Blueprint

from schools.letters import views
from schools.letters.models import STATUSES, TIERS

bp = Blueprint("letters", __name__)

bp.add_url_rule("/letters/", view_func=views.overview)
bp.add_url_rule("/letters/issue", view_func=views.issue, methods=["POST"])
bp.add_url_rule("/letters/<int:letter_id>", view_func=views.show_letter)
bp.add_url_rule("/letters/<int:letter_id>/sign", view_func=views.sign_letter, methods=["POST"])
bp.add_url_rule("/letters/<int:letter_id>/scan", view_func=views.upload_scan, methods=["POST"])
bp.add_url_rule("/letters/<int:letter_id>/scan", view_func=views.download_scan, methods=["GET"])
bp.add_url_rule("/letters/<int:letter_id>/resign", view_func=views.resign_letter, methods=["POST"])
bp.add_url_rule(
    "/schools/<int:school_id>/letters/", endpoint="school_letters", view_func=views.school_letters_page
)
bp.add_url_rule("/schools/<int:school_id>/letters/", view_func=views.add_school_letter, methods=["POST"])
bp.add_url_rule("/schools/<int:school_id>/letters/targets", view_func=views.save_targets, methods=["POST"])


@bp.app_template_filter("letter_tier")
def letter_tier(tier: str) -> str:
    return str(TIERS.get(tier, tier))


@bp.app_template_filter("letter_status")
def letter_status(status: str) -> str:
    return str(STATUSES.get(status, status))
