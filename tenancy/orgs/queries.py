"""Reads of the org tree, always within the caller's scope."""

from datetime import datetime

from sqlalchemy import Select, select

from tenancy.extensions import db
from tenancy.models import OrgUnit, OrgUnitParentPeriod
from tenancy.scoping import subtree_filter, visible_paths


def visible_units(user=None, *, include_inactive: bool = True) -> Select:
    """Select the org units in the user's subtrees, in tree order."""
    query = (
        select(OrgUnit)
        .where(subtree_filter(OrgUnit.path, visible_paths(user)))
        .order_by(OrgUnit.level, OrgUnit.code)
    )
    if not include_inactive:
        query = query.where(OrgUnit.is_active)
    return query


def tree_rows(user=None) -> list[tuple[OrgUnit, int]]:
    """Return (unit, depth) pairs for the user's visible tree, children under their parent."""
    units = db.session.scalars(visible_units(user)).all()
    by_parent: dict[int | None, list[OrgUnit]] = {}
    ids = {unit.id for unit in units}
    for unit in units:
        key = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(key, []).append(unit)
    rows: list[tuple[OrgUnit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        # Central schools before directly-run ones, then in the order the bureau added them.
        for unit in sorted(by_parent.get(parent_id, []), key=lambda u: (u.kind != "central", u.id)):
            rows.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return rows


def breadcrumbs(unit: OrgUnit, user=None) -> list[OrgUnit]:
    """Return the unit's ancestors the user can see, from the top down, ending with the unit."""
    paths = visible_paths(user)
    chain = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit.ancestor_ids))).all()
    chain = [u for u in chain if any(u.path.startswith(p) for p in paths)]
    return sorted(chain, key=lambda u: u.level)


def parent_at(unit: OrgUnit, when: datetime) -> OrgUnit | None:
    """Return the parent the unit had at `when` (records keep the parent of their time)."""
    period = db.session.scalar(
        select(OrgUnitParentPeriod)
        .where(OrgUnitParentPeriod.org_unit_id == unit.id, OrgUnitParentPeriod.started_at <= when)
        .order_by(OrgUnitParentPeriod.started_at.desc())
        .limit(1)
    )
    return period.parent if period is not None else unit.parent


def parent_history(unit: OrgUnit) -> list[OrgUnitParentPeriod]:
    """Return the unit's parent periods, oldest first."""
    return db.session.scalars(
        select(OrgUnitParentPeriod)
        .where(OrgUnitParentPeriod.org_unit_id == unit.id)
        .order_by(OrgUnitParentPeriod.started_at)
    ).all()
