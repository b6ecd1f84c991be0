"""Writes of the rollup tables: a full rebuild, and the refresh of one unit after a change. Never commits.

Full rebuild: every unit's own rows in one INSERT … SELECT over the ledger, then each level's
rows added into its parents' (schools into central schools, those into the bureau), then the
category detail of the level-2 units from the ledger and the bureau's as their sum.

Refresh of one unit (incremental): its rows become its own records plus its children's rows;
the difference from its old rows is added to each ancestor's rows, so the bureau's cost does
not grow with the number of schools. The category detail of its level-2 unit is recomputed
separately (refresh_categories, its own job coalesced per level-2 unit: one central school's
subtree costs more than one school, and many of its schools' changes need only one run).
Both paths give identical tables (tests/bureau/rollups/test_rollup_properties.py).
"""

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import case, delete, func, insert, literal, select, text, union_all
from sqlalchemy.dialects import postgresql, sqlite

from bureau.flags.models import Flag
from bureau.rollups.measures import Scope, category_rows, own_rows
from bureau.rollups.models import CATEGORY_FIGURES, UNIT_FIGURES, CategoryMonth, RollupVersion, UnitMonth
from schools.hazards.models import Hazard
from schools.submissions.due import add_months
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.scoping import current_tenant_id, tenant_root
from tenancy.settings.store import tenant_timezone

log = logging.getLogger(__name__)

Rows = dict[tuple, tuple[int, ...]]  # key (period[, category]) → figures


@dataclass
class RefreshResult:
    unit_rows: int = 0
    category_rows: int = 0


def make_scope(units=None, *, now: datetime | None = None, **filters) -> Scope:
    """The tenant's scope for rollup SQL at `now` (default: the current time)."""
    now = now or utcnow()
    zone = tenant_timezone()
    local = now.astimezone(zone)
    return Scope(
        tenant_id=current_tenant_id(),
        today=local.date(),
        now=now,
        zone=zone.key,
        offset_minutes=int(local.utcoffset().total_seconds() // 60),
        units=units,
        **filters,
    )


def months_to_cover(scope: Scope) -> list[date]:
    """Every month from the earliest record in scope to the later of this month and the latest one."""
    hazards = select(
        func.min(Hazard.found_on),
        func.max(Hazard.found_on),
        func.max(Hazard.rectified_on),
        func.max(Hazard.verified_on),
    ).where(Hazard.tenant_id == scope.tenant_id)
    flags = select(func.min(Flag.raised_at), func.max(Flag.cleared_at)).where(
        Flag.tenant_id == scope.tenant_id
    )
    units = select(func.min(OrgUnit.created_at)).where(OrgUnit.tenant_id == scope.tenant_id)
    if scope.units is not None:
        hazards = hazards.where(Hazard.org_unit_id.in_(scope.units))
        flags = flags.where(Flag.org_unit_id.in_(scope.units))
        units = units.where(OrgUnit.id.in_(scope.units))
    days = [day for day in db.session.execute(hazards).one() if day is not None]
    zone = tenant_timezone()
    days += [stamp.astimezone(zone).date() for stamp in db.session.execute(flags).one() if stamp is not None]
    created = db.session.scalar(units)
    if created is not None:
        days.append(created.astimezone(zone).date())
    current = scope.today.replace(day=1)
    first = min(days, default=current).replace(day=1)
    last = max([current] + [day.replace(day=1) for day in days])
    months = [first]
    while months[-1] < last:
        months.append(add_months(months[-1], 1))
    return months


def _insert(model):
    """INSERT for the bound database, so ON CONFLICT … DO UPDATE can be added."""
    return (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert(model)


def _add_into(model, figures: tuple[str, ...], keys: tuple[str, ...], source):
    """INSERT rows, adding their figures into rows that exist already (an additive upsert)."""
    table = getattr(model, "__table__", model)
    statement = _insert(table)
    statement = statement.from_select(list(keys + figures), source) if source is not None else statement
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in figures}
    )


def _count_write(tenant_id: int) -> None:
    """Raise the tenant's rollup version (see RollupVersion): cached figures are stale now."""
    statement = _insert(RollupVersion).values(tenant_id=tenant_id, version=1)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id"], set_={"version": RollupVersion.__table__.c.version + 1}
        )
    )


def _level2_of_hazard():
    """The level-2 unit above a hazard's school (or the school itself when it is at level 2)."""
    return case((OrgUnit.level == 2, OrgUnit.id), else_=OrgUnit.parent_id)


def rebuild_all(now: datetime | None = None) -> RefreshResult:
    """Recompute every rollup row of the current tenant from the records."""
    scope = make_scope(now=now)
    tenant = literal(scope.tenant_id)
    if db.engine.dialect.name == "postgresql":
        # JIT compiling these wide CASE expressions costs more than it saves (~2.5 s of ~10 s on 1M hazards).
        db.session.execute(text("SET LOCAL jit = off"))
    db.session.execute(delete(UnitMonth).where(UnitMonth.tenant_id == scope.tenant_id))
    db.session.execute(delete(CategoryMonth).where(CategoryMonth.tenant_id == scope.tenant_id))
    own = own_rows(scope, months_to_cover(scope)).subquery("own")
    db.session.execute(
        insert(UnitMonth).from_select(
            ["tenant_id", "org_unit_id", "period", *UNIT_FIGURES],
            select(tenant, own.c.u, own.c.p, *(own.c[name] for name in UNIT_FIGURES)),
        )
    )
    keys = ("tenant_id", "org_unit_id", "period")
    for level in (3, 2):  # children into parents, bottom-up
        children = (
            select(
                tenant,
                OrgUnit.parent_id,
                UnitMonth.period,
                *(func.sum(UnitMonth.__table__.c[n]) for n in UNIT_FIGURES),
            )
            .join(OrgUnit, OrgUnit.id == UnitMonth.org_unit_id)
            .where(
                UnitMonth.tenant_id == scope.tenant_id,
                OrgUnit.tenant_id == scope.tenant_id,
                OrgUnit.level == level,
            )
            .group_by(OrgUnit.parent_id, UnitMonth.period)
        )
        db.session.execute(_add_into(UnitMonth, UNIT_FIGURES, keys, children))
    detail = category_rows(scope, _level2_of_hazard()).subquery("detail")
    db.session.execute(
        insert(CategoryMonth).from_select(
            ["tenant_id", "org_unit_id", "period", "category", *CATEGORY_FIGURES],
            select(
                tenant, detail.c.u, detail.c.p, detail.c.category, *(detail.c[n] for n in CATEGORY_FIGURES)
            ),
        )
    )
    _rebuild_root_categories(scope)
    _count_write(scope.tenant_id)
    result = RefreshResult(
        unit_rows=db.session.scalar(select(func.count()).where(UnitMonth.tenant_id == scope.tenant_id)),
        category_rows=db.session.scalar(
            select(func.count()).where(CategoryMonth.tenant_id == scope.tenant_id)
        ),
    )
    log.info("rollups rebuilt: %s", result)
    return result


def _rebuild_root_categories(scope: Scope) -> None:
    root = tenant_root()
    if root is None:
        return
    db.session.execute(
        delete(CategoryMonth).where(
            CategoryMonth.tenant_id == scope.tenant_id, CategoryMonth.org_unit_id == root.id
        )
    )
    level2 = select(OrgUnit.id).where(OrgUnit.tenant_id == scope.tenant_id, OrgUnit.level == 2)
    table = CategoryMonth.__table__.c
    db.session.execute(
        insert(CategoryMonth).from_select(
            ["tenant_id", "org_unit_id", "period", "category", *CATEGORY_FIGURES],
            select(
                literal(scope.tenant_id),
                literal(root.id),
                table.period,
                table.category,
                *(func.sum(table[n]) for n in CATEGORY_FIGURES),
            )
            .where(table.tenant_id == scope.tenant_id, table.org_unit_id.in_(level2))
            .group_by(table.period, table.category),
        )
    )


def refresh_unit(unit: OrgUnit, now: datetime | None = None) -> None:
    """Recompute one unit's rows after its records changed, and carry the difference upward."""
    db.session.execute(select(OrgUnit.id).where(OrgUnit.id == unit.id).with_for_update())
    scope = make_scope(units=[unit.id], now=now)
    own = own_rows(scope, months_to_cover(scope)).subquery("own")
    table = UnitMonth.__table__.c
    children = select(OrgUnit.id).where(OrgUnit.tenant_id == scope.tenant_id, OrgUnit.parent_id == unit.id)
    parts = union_all(
        select(own.c.p, *(own.c[name] for name in UNIT_FIGURES)),
        select(table.period, *(table[name] for name in UNIT_FIGURES)).where(
            table.tenant_id == scope.tenant_id, table.org_unit_id.in_(children)
        ),
    ).subquery("parts")
    rows = select(
        literal(scope.tenant_id),
        literal(unit.id),
        parts.c.p,
        *(func.sum(parts.c[name]) for name in UNIT_FIGURES),
    ).group_by(parts.c.p)
    old = _take(UnitMonth, scope.tenant_id, unit.id, ("period",), UNIT_FIGURES)
    new = _put(UnitMonth, ["tenant_id", "org_unit_id", "period"], ("period",), UNIT_FIGURES, rows)
    ancestors = unit.ancestor_ids[:-1]
    _carry(UnitMonth, ("period",), UNIT_FIGURES, _difference(new, old), ancestors, scope.tenant_id)
    _count_write(scope.tenant_id)


def category_owner(unit: OrgUnit) -> OrgUnit:
    """The unit whose category detail a change at `unit` touches: its level-2 unit, or the bureau."""
    return unit.parent if unit.level == 3 else unit


def refresh_categories(unit: OrgUnit, now: datetime | None = None) -> None:
    """Recompute the category detail of a level-2 unit from its subtree's records and carry the
    difference to the bureau (for the bureau itself: the sum of its level-2 units)."""
    db.session.execute(select(OrgUnit.id).where(OrgUnit.id == unit.id).with_for_update())
    scope = make_scope(now=now)
    _count_write(scope.tenant_id)
    if unit.level == 1:
        _rebuild_root_categories(scope)
        return
    subtree = select(OrgUnit.id).where(
        OrgUnit.tenant_id == scope.tenant_id, OrgUnit.path.startswith(unit.path)
    )
    detail = category_rows(replace(scope, units=subtree), _level2_of_hazard()).subquery("detail")
    rows = select(
        literal(scope.tenant_id),
        detail.c.u,
        detail.c.p,
        detail.c.category,
        *(detail.c[n] for n in CATEGORY_FIGURES),
    )
    old = _take(CategoryMonth, scope.tenant_id, unit.id, ("period", "category"), CATEGORY_FIGURES)
    new = _put(
        CategoryMonth,
        ["tenant_id", "org_unit_id", "period", "category"],
        ("period", "category"),
        CATEGORY_FIGURES,
        rows,
    )
    _carry(
        CategoryMonth,
        ("period", "category"),
        CATEGORY_FIGURES,
        _difference(new, old),
        unit.ancestor_ids[:-1],
        scope.tenant_id,
    )


def _take(model, tenant_id: int, unit_id: int, keys: tuple[str, ...], figures: tuple[str, ...]) -> Rows:
    """Delete a unit's rows and return them."""
    table = model.__table__
    statement = (
        delete(table)
        .where(table.c.tenant_id == tenant_id, table.c.org_unit_id == unit_id)
        .returning(*(table.c[name] for name in keys + figures))
    )
    return {tuple(row[: len(keys)]): tuple(row[len(keys) :]) for row in db.session.execute(statement)}


def _put(model, columns: list[str], keys: tuple[str, ...], figures: tuple[str, ...], rows) -> Rows:
    """Insert a unit's new rows from a SELECT and return them."""
    table = model.__table__
    statement = (
        insert(table)
        .from_select(columns + list(figures), rows)
        .returning(*(table.c[name] for name in keys + figures))
    )
    return {tuple(row[: len(keys)]): tuple(row[len(keys) :]) for row in db.session.execute(statement)}


def _difference(new: Rows, old: Rows) -> Rows:
    """new − old per key (a missing row counts as zeros); keys whose change is all zero are left out."""
    result = {}
    for key in new.keys() | old.keys():
        after, before = new.get(key), old.get(key)
        if before is None:
            change = after
        elif after is None:
            change = tuple(-value for value in before)
        else:
            change = tuple(a - b for a, b in zip(after, before, strict=True))
        if any(change):
            result[key] = change
    return result


def _carry(
    model, keys: tuple[str, ...], figures: tuple[str, ...], change: Rows, ancestors: list[int], tenant_id: int
):
    """Add a change into each ancestor's rows, then drop ancestor rows that became all zero."""
    if not change or not ancestors:
        return
    table = model.__table__
    all_keys = ("tenant_id", "org_unit_id") + keys
    values = [
        {
            "tenant_id": tenant_id,
            "org_unit_id": ancestor,
            **dict(zip(keys, key, strict=True)),
            **dict(zip(figures, delta, strict=True)),
        }
        for ancestor in ancestors
        for key, delta in sorted(change.items())
    ]
    db.session.connection().execute(_add_into(table, figures, all_keys, None), values)
    periods = sorted({key[0] for key in change})
    db.session.execute(
        delete(table).where(
            table.c.tenant_id == tenant_id,
            table.c.org_unit_id.in_(ancestors),
            table.c.period.in_(periods),
            *(table.c[name] == 0 for name in figures),
        )
    )
