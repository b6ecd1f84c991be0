"""/api/v1/flags: the flags of the caller's scope, open or cleared, paginated."""

from flask import Blueprint, request
from flask_login import current_user
from sqlalchemy import func, select

from bureau.flags.models import Flag
from bureau.flags.queries import board_order, visible_flags, with_units
from bureau.flags.schemas import FlagQuerySchema, FlagSchema
from tenancy.api.base import PageArgsSchema, documented, load_args
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List flags in scope (open by default; filter by kind, unit subtree, cleared)",
    response=FlagSchema(),
    query=FlagQuerySchema(),
    paginated=True,
)
def list_flags():
    args = load_args(FlagQuerySchema())
    paging = PageArgsSchema().load({k: v for k, v in request.args.items() if k in ("page", "per_page")})
    page, per_page = paging["page"], paging["per_page"]
    unit = get_scoped_or_404(OrgUnit, args["org_unit_id"]) if "org_unit_id" in args else None
    cleared = args["cleared"] == 1
    flags = visible_flags(current_user, args.get("kind"), unit=unit, only_cleared=cleared)
    if cleared:
        query = with_units(flags).order_by(Flag.cleared_at.desc(), Flag.id.desc())
    else:
        query = board_order(with_units(flags))
    total = db.session.scalar(select(func.count()).select_from(flags.subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    items = [
        {
            "id": flag.id,
            "org_unit_id": flag.org_unit_id,
            "unit_code": flag_unit.code,
            "unit": flag_unit.name,
            "kind": flag.kind,
            "subject": flag.subject,
            "details": flag.details,
            "raised_at": flag.raised_at,
            "cleared_at": flag.cleared_at,
        }
        for flag, flag_unit in rows
    ]
    return {
        "items": FlagSchema().dump(items, many=True),
        "total": total or 0,
        "page": page,
        "per_page": per_page,
    }


def register(bp: Blueprint) -> None:
    """Add the flag endpoints to the API blueprint."""
    bp.add_url_rule("/flags", view_func=list_flags)
