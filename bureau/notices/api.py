"""/api/v1/notices: the rectification notices the caller may read."""

from flask import Blueprint
from flask_babel import gettext as _

from bureau.notices.access import sees_notice, visible_notices
from bureau.notices.models import Notice
from bureau.notices.queries import NoticeFilters
from bureau.notices.schemas import NoticeQuerySchema, NoticeSchema
from schools.units import get_school_or_404
from tenancy.api.base import ApiError, documented, load_args, paginated
from tenancy.extensions import db
from tenancy.scoping import current_tenant_id
from tenancy.settings.store import tenant_today


@documented(
    summary="List rectification notices: to the caller's schools, or issued by the caller's level",
    response=NoticeSchema(),
    query=NoticeQuerySchema(),
    paginated=True,
)
def list_notices():
    args = load_args(NoticeQuerySchema())
    if "school_id" in args:
        get_school_or_404(args["school_id"])  # a school outside the caller's scope is a 404
    filters = NoticeFilters(
        status=args.get("status", ""), year=args.get("year"), school_id=args.get("school_id")
    )
    query = filters.apply(visible_notices(), tenant_today())
    return paginated(query.order_by(Notice.year.desc(), Notice.number.desc()), NoticeSchema())


@documented(
    summary="One rectification notice with its hazards, answers and decisions", response=NoticeSchema()
)
def get_notice(notice_id: int):
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.tenant_id != current_tenant_id() or not sees_notice(notice):
        raise ApiError(404, "not_found", _("Not found."))
    return NoticeSchema().dump(notice)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/notices", view_func=list_notices, methods=["GET"])
    bp.add_url_rule("/notices/<int:notice_id>", view_func=get_notice, methods=["GET"])
