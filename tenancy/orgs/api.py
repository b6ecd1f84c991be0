"""/api/v1/org-units: the org units the caller can see."""

from flask import Blueprint
from sqlalchemy import or_

from tenancy.api.base import documented, load_args, paginated
from tenancy.models import OrgUnit
from tenancy.orgs.queries import visible_units
from tenancy.orgs.schemas import OrgUnitQuerySchema, OrgUnitSchema
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List visible org units", response=OrgUnitSchema(), query=OrgUnitQuerySchema(), paginated=True
)
def list_org_units():
    args = load_args(OrgUnitQuerySchema())
    query = visible_units()
    for key in ("level", "kind", "parent_id"):
        if key in args:
            query = query.where(getattr(OrgUnit, key) == args[key])
    if "active" in args:
        query = query.where(OrgUnit.is_active == args["active"])
    if args.get("q"):
        pattern = f"%{args['q']}%"
        query = query.where(or_(OrgUnit.code.ilike(pattern), OrgUnit.name.ilike(pattern)))
    return paginated(query, OrgUnitSchema())


@documented(summary="One org unit", response=OrgUnitSchema())
def get_org_unit(org_id: int):
    return OrgUnitSchema().dump(get_scoped_or_404(OrgUnit, org_id))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/org-units", view_func=list_org_units)
    bp.add_url_rule("/org-units/<int:org_id>", view_func=get_org_unit)
