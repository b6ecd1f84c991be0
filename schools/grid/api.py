"""/api/v1/schools/<id>/grid-cells and /coverage: a school's grid and its blind spots."""

from flask import Blueprint, abort
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from schools.grid import queries
from schools.grid.models import CellOwnership, GridCell
from schools.grid.schemas import CoverageQuerySchema, CoverageSchema, GridCellQuerySchema, GridCellSchema
from schools.units import keeps_records
from tenancy.api.base import ApiError, documented, load_args, paginated
from tenancy.models import OrgUnit
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today


def _school(school_id: int) -> OrgUnit:
    school = get_scoped_or_404(OrgUnit, school_id)
    if not keeps_records(school):
        abort(404)
    return school


@documented(
    summary="A school's grid cells with today's owner and deputies (a grid keeper: their own cells)",
    response=GridCellSchema(),
    query=GridCellQuerySchema(),
    paginated=True,
)
def list_grid_cells(school_id: int):
    school = _school(school_id)
    args = load_args(GridCellQuerySchema())
    query = queries.visible_cells(school).options(
        selectinload(GridCell.ownerships).selectinload(CellOwnership.staff)
    )
    if "kind" in args:
        query = query.where(GridCell.kind == args["kind"])
    if "key_area" in args:
        query = query.where(GridCell.is_key_area == args["key_area"])
    if "active" in args:
        query = query.where(GridCell.is_active == args["active"])
    return paginated(query, GridCellSchema())


@documented(
    summary="A school's blind spots and staff without a cell on a date",
    response=CoverageSchema(),
    query=CoverageQuerySchema(),
)
def grid_coverage(school_id: int):
    school = _school(school_id)
    if queries.keeper_only(school):
        raise ApiError(403, "forbidden", _("You do not have permission to do this."))
    args = load_args(CoverageQuerySchema())
    found = queries.coverage(school, args.get("on") or tenant_today())
    return CoverageSchema().dump(found)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/schools/<int:school_id>/grid-cells", view_func=list_grid_cells)
    bp.add_url_rule("/schools/<int:school_id>/coverage", view_func=grid_coverage)
