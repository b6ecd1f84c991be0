"""Reads of flags, always within a user's scope.

A flag belongs to the unit at fault and shows to everyone whose role reaches that unit: the
school itself, its central school and the bureau. A user who reaches a school only as a grid
keeper sees only the hazard flags of hazards they may see (their own cells and reports),
as on the ledger.
"""

from sqlalchemy import Select, and_, case, false, func, or_, select

from bureau.flags.models import FLAG_KINDS, Flag
from schools.hazards.access import keeper_filter
from schools.hazards.models import Hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.roles import Role
from tenancy.scoping import subtree_filter

HAZARD_KINDS = ("hazard_overdue", "major_unverified")
# Board order: what needs action soonest first.
KIND_ORDER = case({kind: index for index, kind in enumerate(FLAG_KINDS)}, value=Flag.kind, else_=99)


def _paths(user) -> tuple[list[str], list[str]]:
    """Return (paths reached with a full view, paths reached only as a grid keeper)."""
    if not getattr(user, "is_authenticated", False) or user.is_operator:
        return [], []
    full = sorted({grant.org_unit.path for grant in user.grants if grant.role != Role.GRID_KEEPER})
    keeper = sorted(
        {
            grant.org_unit.path
            for grant in user.grants
            if grant.role == Role.GRID_KEEPER and not any(grant.org_unit.path.startswith(p) for p in full)
        }
    )
    return full, keeper


def _units_under(paths: list[str]) -> Select:
    return select(OrgUnit.id).where(subtree_filter(OrgUnit.path, paths))


def visibility(user):
    """Return a SQL condition on Flag: the flag is within the user's scope."""
    full, keeper = _paths(user)
    condition = Flag.org_unit_id.in_(_units_under(full)) if full else false()
    if keeper:
        hazards = keeper_filter(select(Hazard.id).where(Hazard.org_unit_id.in_(_units_under(keeper))), user)
        subjects = [f"hazard:{hazard_id}" for hazard_id in db.session.scalars(hazards)]
        if subjects:
            condition = or_(
                condition,
                and_(
                    Flag.org_unit_id.in_(_units_under(keeper)),
                    Flag.kind.in_(HAZARD_KINDS),
                    Flag.subject.in_(subjects),
                ),
            )
    return condition


def visible_flags(
    user,
    kind: str | None = None,
    include_cleared: bool = False,
    *,
    unit: OrgUnit | None = None,
    only_cleared: bool = False,
) -> Select:
    """Select the flags in the user's scope: open ones (or with cleared ones, or only cleared ones),
    of one kind, of the units under `unit`."""
    query = select(Flag).where(visibility(user))
    if only_cleared:
        query = query.where(Flag.cleared_at.isnot(None))
    elif not include_cleared:
        query = query.where(Flag.cleared_at.is_(None))
    if kind:
        query = query.where(Flag.kind == kind)
    if unit is not None:
        query = query.where(
            Flag.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path)))
        )
    return query


def with_units(query: Select) -> Select:
    """Add each flag's unit to a flag query: rows of (Flag, OrgUnit)."""
    return query.add_columns(OrgUnit).join(OrgUnit, OrgUnit.id == Flag.org_unit_id)


def board_order(query: Select) -> Select:
    """Order open flags by kind (board order), newest first, then by unit."""
    return query.order_by(KIND_ORDER, Flag.raised_at.desc(), OrgUnit.code, Flag.id)


def counts_by_kind(user, *, unit: OrgUnit | None = None, since=None) -> dict[str, int]:
    """Return {kind: number of open flags} in the user's scope (every kind, zeros included)."""
    flags = visible_flags(user, unit=unit)
    if since is not None:
        flags = flags.where(Flag.raised_at > since)
    rows = db.session.execute(flags.with_only_columns(Flag.kind, func.count()).group_by(Flag.kind))
    counts = dict.fromkeys(FLAG_KINDS, 0)
    counts.update({kind: count for kind, count in rows})
    return counts


def tenant_open_flags() -> list[tuple[Flag, OrgUnit]]:
    """Return every open flag of the current tenant with its unit (the CLI's listing)."""
    query = with_units(select(Flag).where(Flag.cleared_at.is_(None)))
    return [tuple(row) for row in db.session.execute(board_order(query))]
