"""Reads of the campus grid: cell trees, who owns what on a day, coverage (无盲区), a keeper's cells."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_login import current_user
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from schools.grid.models import CellOwnership, GridCell, Staff
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.roles import Role
from tenancy.settings.store import tenant_today


def period_covers(day: date):
    """Return a SQL condition: the ownership period includes `day`."""
    return (CellOwnership.starts_on <= day) & or_(
        CellOwnership.ends_on.is_(None), CellOwnership.ends_on >= day
    )


def cell_exists_on(day: date):
    """Return a SQL condition: the cell was open on `day`."""
    return (GridCell.opened_on <= day) & or_(GridCell.closed_on.is_(None), GridCell.closed_on >= day)


# --- who sees which cells ------------------------------------------------------------------


def keeper_only(school: OrgUnit, user=None) -> bool:
    """Whether the user reaches this school only as a grid keeper (and so sees only their own cells)."""
    user = user if user is not None else current_user
    reaching = [grant for grant in user.grants if grant.org_unit.contains(school)]
    return bool(reaching) and all(grant.role == Role.GRID_KEEPER for grant in reaching)


def cells_of_keeper(user, day: date | None = None) -> list[GridCell]:
    """Return the cells whose primary owner or deputy on `day` (default today) is the user's staff record."""
    day = day or tenant_today()
    staff_ids = select(Staff.id).where(Staff.user_id == user.id, Staff.is_active)
    owned = select(CellOwnership.grid_cell_id).where(
        CellOwnership.staff_id.in_(staff_ids), period_covers(day)
    )
    return db.session.scalars(
        select(GridCell)
        .where(GridCell.id.in_(owned))
        .order_by(GridCell.sort_order, GridCell.name, GridCell.id)
    ).all()


def visible_cells(school: OrgUnit, user=None, *, include_closed: bool = True) -> Select:
    """Select the school's cells the user may see: all of them, or a grid keeper's own."""
    user = user if user is not None else current_user
    query = select(GridCell).where(GridCell.org_unit_id == school.id)
    if not include_closed:
        query = query.where(GridCell.is_active)
    if keeper_only(school, user):
        query = query.where(GridCell.id.in_([cell.id for cell in cells_of_keeper(user)]))
    return query.order_by(GridCell.sort_order, GridCell.name, GridCell.id)


def keeper_may_see(cell: GridCell, user=None) -> bool:
    """Whether the user may open the cell (anyone who sees the school, or a keeper who owns it)."""
    user = user if user is not None else current_user
    school = cell.school or db.session.get(OrgUnit, cell.org_unit_id)
    return not keeper_only(school, user) or cell.id in {c.id for c in cells_of_keeper(user)}


# --- trees and paths -----------------------------------------------------------------------


def cell_tree(cells: Iterable[GridCell]) -> list[tuple[GridCell, int]]:
    """Return (cell, depth) pairs, children under their parent; cells whose parent is absent are roots."""
    cells = list(cells)
    ids = {cell.id for cell in cells}
    by_parent: dict[int | None, list[GridCell]] = {}
    for cell in cells:
        by_parent.setdefault(cell.parent_id if cell.parent_id in ids else None, []).append(cell)
    rows: list[tuple[GridCell, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for cell in sorted(by_parent.get(parent_id, []), key=lambda c: (c.sort_order, c.name, c.id)):
            rows.append((cell, depth))
            walk(cell.id, depth + 1)

    walk(None, 0)
    return rows


def cell_paths(school: OrgUnit) -> dict[int, str]:
    """Return cell id → "楼栋/楼层/房间" for every cell of the school."""
    cells = {
        cell.id: cell
        for cell in db.session.scalars(select(GridCell).where(GridCell.org_unit_id == school.id))
    }
    paths: dict[int, str] = {}

    def path(cell_id: int, seen: frozenset = frozenset()) -> str:
        if cell_id not in paths:
            cell = cells[cell_id]
            parent = cell.parent_id
            above = path(parent, seen | {cell_id}) + "/" if parent in cells and parent not in seen else ""
            paths[cell_id] = above + cell.name
        return paths[cell_id]

    for cell_id in cells:
        path(cell_id)
    return paths


# --- owners on a day -----------------------------------------------------------------------


def owners_on(target: GridCell | OrgUnit, day: date) -> list[CellOwnership] | dict[int, list[CellOwnership]]:
    """Return who is responsible on `day`: for a cell, its periods (primary first);
    for a school, cell id → periods of every cell."""
    query = (
        select(CellOwnership)
        .where(period_covers(day))
        .options(selectinload(CellOwnership.staff))
        .order_by(CellOwnership.is_primary.desc(), CellOwnership.starts_on, CellOwnership.id)
    )
    if isinstance(target, GridCell):
        return db.session.scalars(query.where(CellOwnership.grid_cell_id == target.id)).all()
    found: dict[int, list[CellOwnership]] = {}
    for period in db.session.scalars(query.where(CellOwnership.org_unit_id == target.id)):
        found.setdefault(period.grid_cell_id, []).append(period)
    return found


def duties_on(school: OrgUnit, day: date) -> dict[int, list[CellOwnership]]:
    """Return staff id → the periods the person holds on `day` at the school."""
    found: dict[int, list[CellOwnership]] = {}
    for periods in owners_on(school, day).values():
        for period in periods:
            found.setdefault(period.staff_id, []).append(period)
    return found


def history(cell: GridCell) -> list[CellOwnership]:
    """Return every owner and deputy period of the cell, newest first."""
    return db.session.scalars(
        select(CellOwnership)
        .where(CellOwnership.grid_cell_id == cell.id)
        .options(selectinload(CellOwnership.staff))
        .order_by(CellOwnership.starts_on.desc(), CellOwnership.is_primary.desc(), CellOwnership.id.desc())
    ).all()


# --- coverage ------------------------------------------------------------------------------


@dataclass
class Coverage:
    """A school's grid on one day: cells without a primary owner and staff without a cell."""

    school_id: int
    day: date
    cells: list[GridCell] = field(default_factory=list)
    blind_spots: list[GridCell] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    idle_staff: list[Staff] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "cells": len(self.cells),
            "covered": len(self.cells) - len(self.blind_spots),
            "blind_spots": len(self.blind_spots),
            "key_area_blind_spots": sum(1 for cell in self.blind_spots if cell.is_key_area),
            "staff": len(self.staff),
            "staff_without_cell": len(self.idle_staff),
        }


def coverage_by_school(day: date, school_ids: Iterable[int] | None = None) -> dict[int, Coverage]:
    """Return the coverage of every school (of the given ids) that has grid cells or staff, on `day`.

    A cell counts from its opened_on through its closed_on; staff count while they are
    active (the staff list has no dates), and whenever they hold a period that day.
    """
    ids = list(school_ids) if school_ids is not None else None
    cells_q = select(GridCell).where(cell_exists_on(day))
    periods_q = select(CellOwnership).where(period_covers(day))
    staff_q = select(Staff).where(Staff.is_active)
    if ids is not None:
        cells_q = cells_q.where(GridCell.org_unit_id.in_(ids))
        periods_q = periods_q.where(CellOwnership.org_unit_id.in_(ids))
        staff_q = staff_q.where(Staff.org_unit_id.in_(ids))
    periods = db.session.scalars(periods_q).all()
    owned_cells = {period.grid_cell_id for period in periods if period.is_primary}
    busy_staff = {period.staff_id for period in periods}
    staff = {person.id: person for person in db.session.scalars(staff_q)}
    missing = busy_staff - set(staff)
    if missing:
        staff.update(
            {person.id: person for person in db.session.scalars(select(Staff).where(Staff.id.in_(missing)))}
        )
    result: dict[int, Coverage] = {}

    def entry(school_id: int) -> Coverage:
        return result.setdefault(school_id, Coverage(school_id, day))

    for cell, _depth in cell_tree(db.session.scalars(cells_q)):
        found = entry(cell.org_unit_id)
        found.cells.append(cell)
        if cell.id not in owned_cells:
            found.blind_spots.append(cell)
    for person in sorted(staff.values(), key=lambda p: (p.name, p.id)):
        found = entry(person.org_unit_id)
        found.staff.append(person)
        if person.id not in busy_staff:
            found.idle_staff.append(person)
    return result


def coverage_counts(day: date, school_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{school id: (cells, cells with a primary owner)} on `day`, counted in SQL (for the assessment).

    The same cells and owners as coverage_by_school, without loading them.
    """
    cells = db.session.execute(
        select(GridCell.org_unit_id, func.count())
        .where(GridCell.org_unit_id.in_(school_ids), cell_exists_on(day))
        .group_by(GridCell.org_unit_id)
    )
    found = {school_id: (count, 0) for school_id, count in cells}
    owned = db.session.execute(
        select(GridCell.org_unit_id, func.count(func.distinct(GridCell.id)))
        .join(CellOwnership, CellOwnership.grid_cell_id == GridCell.id)
        .where(
            GridCell.org_unit_id.in_(school_ids),
            cell_exists_on(day),
            period_covers(day),
            CellOwnership.is_primary,
        )
        .group_by(GridCell.org_unit_id)
    )
    for school_id, count in owned:
        found[school_id] = (found[school_id][0], count)
    return found


def coverage(school: OrgUnit, day: date) -> Coverage:
    """Return the school's coverage on `day`: blind spots (监管盲区), staff without a cell, counts."""
    return coverage_by_school(day, [school.id]).get(school.id) or Coverage(school.id, day)


# --- staff ---------------------------------------------------------------------------------


def school_staff(school: OrgUnit, *, include_inactive: bool = False) -> Select:
    """Select the school's staff, by name."""
    query = select(Staff).where(Staff.org_unit_id == school.id)
    if not include_inactive:
        query = query.where(Staff.is_active)
    return query.order_by(Staff.name, Staff.id)


# --- the responsibility chart (网格化管理责任图) ---------------------------------------------


@dataclass
class ChartRow:
    """One line of the responsibility chart."""

    cell: GridCell
    depth: int
    parent_path: str
    primary: CellOwnership | None
    deputies: list[CellOwnership]


def chart_rows(school: OrgUnit, day: date) -> list[ChartRow]:
    """Return the school's cells open on `day` in tree order, with that day's owner and deputies."""
    cells = db.session.scalars(
        select(GridCell).where(GridCell.org_unit_id == school.id, cell_exists_on(day))
    ).all()
    paths = cell_paths(school)
    owners = owners_on(school, day)
    rows = []
    for cell, depth in cell_tree(cells):
        periods = owners.get(cell.id, [])
        rows.append(
            ChartRow(
                cell=cell,
                depth=depth,
                parent_path=paths.get(cell.parent_id, "") if cell.parent_id else "",
                primary=next((p for p in periods if p.is_primary), None),
                deputies=[p for p in periods if not p.is_primary],
            )
        )
    return rows
