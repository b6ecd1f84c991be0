"""URL rules of the notice pages."""

from datetime import date, datetime

from flask import Blueprint

from bureau.notices import views
from tenancy.settings.store import tenant_timezone

bp = Blueprint("notices", __name__, url_prefix="/notices")

bp.add_url_rule("/", view_func=views.list_notices)
bp.add_url_rule("/new", view_func=views.new_notice, methods=["GET", "POST"])
bp.add_url_rule("/<int:notice_id>", view_func=views.show_notice)
bp.add_url_rule("/<int:notice_id>/answer", view_func=views.answer_notice, methods=["GET", "POST"])
bp.add_url_rule("/<int:notice_id>/decide", view_func=views.decide_notice, methods=["GET", "POST"])
bp.add_url_rule("/<int:notice_id>/print", view_func=views.print_notice)
bp.add_url_rule("/files/<int:attachment_id>", view_func=views.download_attachment)


@bp.app_template_filter("cn_date")
def cn_date(value: date | datetime | None) -> str:
    """Write a date the way official documents do: 2026年3月5日."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(tenant_timezone()).date()
    return f"{value.year}年{value.month}月{value.day}日"
