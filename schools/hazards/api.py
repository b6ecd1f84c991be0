"""/api/v1/hazards: list, report, read, correct and move hazards along their lifecycle."""

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from schools.hazards import access, operations
from schools.hazards.models import Hazard
from schools.hazards.queries import LedgerFilters, tenant_today
from schools.hazards.schemas import HazardCreateSchema, HazardQuerySchema, HazardSchema, StepSchema
from schools.units import get_school_or_404
from tenancy.api.base import ApiError, documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.roles import Role, can
from tenancy.scoping import get_scoped_or_404, visible_org_ids


def _load(hazard_id: int) -> Hazard:
    hazard = get_scoped_or_404(Hazard, hazard_id)
    if access.keeper_only(hazard.school) and not access.keeper_sees(hazard):
        raise ApiError(404, "not_found", _("Not found."))
    return hazard


@documented(
    summary="List hazards in scope (filters as the ledger view)",
    response=HazardSchema(),
    query=HazardQuerySchema(),
    paginated=True,
)
def list_hazards():
    args = load_args(HazardQuerySchema())
    if "school_id" in args:
        school = get_school_or_404(args["school_id"])
        query = access.visible_hazards(school)
    else:
        query = select(Hazard).where(Hazard.org_unit_id.in_(visible_org_ids()))
        if all(grant.role == Role.GRID_KEEPER for grant in current_user.grants):
            query = access.keeper_filter(query)
    filters = LedgerFilters(
        month=args.get("month", ""),
        category=args.get("category", ""),
        level=args.get("level", ""),
        status=args.get("status", ""),
        cell=args.get("cell"),
        overdue=args.get("overdue", False),
    )
    return paginated(
        filters.apply(query, tenant_today()).order_by(Hazard.found_on.desc(), Hazard.id.desc()),
        HazardSchema(),
    )


@documented(summary="Report a hazard", response=HazardSchema(), body=HazardCreateSchema())
def create_hazard():
    values = HazardCreateSchema().load(json_body())
    school = get_school_or_404(values.pop("org_unit_id"), permission="hazard.report")
    try:
        data = operations.HazardInput(**values)
        if access.keeper_only(school) and data.grid_cell_id not in {
            c.id for c in access.cells_of_keeper(current_user)
        }:
            raise operations.HazardError(_("Choose one of your grid cells."), "grid_cell_id")
        hazard = operations.report_hazard(school, data, current_user)
    except operations.HazardError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return HazardSchema().dump(hazard), 201


@documented(summary="One hazard", response=HazardSchema())
def get_hazard(hazard_id: int):
    return HazardSchema().dump(_load(hazard_id))


@documented(
    summary="Correct a hazard's recorded facts", response=HazardSchema(), body=HazardSchema(partial=True)
)
def patch_hazard(hazard_id: int):
    hazard = _load(hazard_id)
    if not can("hazard.manage", hazard.school):
        raise ApiError(403, "forbidden", _("You do not have permission to do this."))
    values = HazardSchema(partial=True).load(json_body())
    try:
        operations.update_hazard(hazard, values)
    except operations.HazardError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return HazardSchema().dump(hazard)


@documented(
    summary="Take a lifecycle step (start, rectify, verify, reject, escalate, resolve, send_back)",
    response=HazardSchema(),
    body=StepSchema(),
)
def take_step(hazard_id: int):
    hazard = _load(hazard_id)
    step = StepSchema().load(json_body())
    try:
        operations.take_step(
            hazard,
            step["step"],
            access.capacities(hazard),
            user=current_user,
            note=step["note"],
            on=step["on"],
            to_bureau=step["to_bureau"],
        )
    except PermissionError:
        db.session.rollback()
        raise ApiError(403, "forbidden", _("You do not have permission to do this.")) from None
    except operations.HazardError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return HazardSchema().dump(hazard)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/hazards", view_func=list_hazards, methods=["GET"])
    bp.add_url_rule("/hazards", endpoint="create_hazard", view_func=create_hazard, methods=["POST"])
    bp.add_url_rule("/hazards/<int:hazard_id>", view_func=get_hazard, methods=["GET"])
    bp.add_url_rule(
        "/hazards/<int:hazard_id>", endpoint="patch_hazard", view_func=patch_hazard, methods=["PATCH"]
    )
    bp.add_url_rule("/hazards/<int:hazard_id>/transitions", view_func=take_step, methods=["POST"])
