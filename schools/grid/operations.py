"""Writes to a school's grid: cells, staff, owners and deputies. Each validates, changes, audits, flushes.

On a GridError the caller rolls the session back: some checks look at the changed objects.
"""

import re
from datetime import date, time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from schools.grid.kinds import KEY_AREA_LABELS, KIND_LABELS
from schools.grid.models import ONE_DAY, CellOwnership, GridCell, Staff, ownership_problems
from schools.units import keeps_records, refresh_flags_later
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, RoleGrant, User
from tenancy.roles import Role
from tenancy.settings.store import tenant_today

NAME_MAX = 80
STAFF_NAME_MAX = 60
POSITION_MAX = 40
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,19}$")


class GridError(ValueError):
    """A change that would break the grid's rules; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _plain(changes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Make times JSON-friendly (the audit trail already handles dates)."""
    for change in changes.values():
        for key in ("before", "after"):
            if isinstance(change.get(key), time):
                change[key] = change[key].strftime("%H:%M")
    return changes


def _check_ownerships(cell: GridCell) -> None:
    problems = ownership_problems(cell)
    if problems:
        raise GridError(problems[0])


def _school_of(record) -> OrgUnit:
    return record.school or db.session.get(OrgUnit, record.org_unit_id)


# --- cells ---------------------------------------------------------------------------------


def _check_cell(
    school: OrgUnit,
    cell: GridCell | None,
    *,
    name: str,
    kind: str,
    parent: GridCell | None,
    is_key_area: bool,
    key_area_kind: str | None,
    starts_at: time | None,
    ends_at: time | None,
) -> None:
    if not keeps_records(school):
        raise GridError(_("Only schools keep a campus grid."), "name")
    if not name or len(name) > NAME_MAX:
        raise GridError(_("A name of 1 to %(n)d characters is required.", n=NAME_MAX), "name")
    if "/" in name:
        raise GridError(_("A cell name cannot contain '/' (it separates levels in imports)."), "name")
    if kind not in KIND_LABELS:
        raise GridError(_("Unknown cell kind '%(value)s'.", value=kind), "kind")
    if is_key_area and key_area_kind not in KEY_AREA_LABELS:
        raise GridError(_("Choose what kind of key area %(name)s is.", name=name), "key_area_kind")
    if kind == "time":
        if starts_at is None or ends_at is None:
            raise GridError(_("A time-axis cell needs the time it starts and the time it ends."), "starts_at")
        if ends_at <= starts_at:
            raise GridError(
                _(
                    "The period must end after it starts (%(start)s–%(end)s); split a period that "
                    "crosses midnight into two cells.",
                    start=starts_at.strftime("%H:%M"),
                    end=ends_at.strftime("%H:%M"),
                ),
                "ends_at",
            )
    elif starts_at is not None or ends_at is not None:
        raise GridError(_("Only time-axis cells have a start and end time."), "starts_at")
    if parent is not None:
        if parent.org_unit_id != school.id:
            raise GridError(_("The parent cell belongs to another school."), "parent_id")
        if not parent.is_active:
            raise GridError(_("%(name)s is closed and cannot hold cells.", name=parent.name), "parent_id")
        cursor = parent
        while cursor is not None:
            if cell is not None and cursor.id == cell.id:
                raise GridError(_("A cell cannot sit inside itself or its own cells."), "parent_id")
            cursor = cursor.parent
    twin = select(GridCell.id).where(
        GridCell.org_unit_id == school.id,
        GridCell.name == name,
        GridCell.is_active,
        GridCell.parent_id == parent.id if parent is not None else GridCell.parent_id.is_(None),
    )
    if cell is not None and cell.id is not None:
        twin = twin.where(GridCell.id != cell.id)
    if db.session.scalar(twin.limit(1)) is not None:
        where = parent.name if parent is not None else _("the top level")
        raise GridError(_("%(where)s already has a cell named %(name)s.", where=where, name=name), "name")


def create_cell(
    school: OrgUnit,
    *,
    name: str,
    kind: str,
    parent: GridCell | None = None,
    is_key_area: bool = False,
    key_area_kind: str | None = None,
    starts_at: time | None = None,
    ends_at: time | None = None,
    sort_order: int = 0,
    opened_on: date | None = None,
) -> GridCell:
    """Add a cell to a school's grid (under `parent`, or at the top)."""
    name = (name or "").strip()
    key_area_kind = key_area_kind if is_key_area else None
    _check_cell(
        school,
        None,
        name=name,
        kind=kind,
        parent=parent,
        is_key_area=is_key_area,
        key_area_kind=key_area_kind,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    cell = GridCell(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        school=school,
        parent=parent,
        name=name,
        kind=kind,
        is_key_area=is_key_area,
        key_area_kind=key_area_kind,
        starts_at=starts_at,
        ends_at=ends_at,
        sort_order=sort_order or 0,
        opened_on=opened_on or tenant_today(),
        is_active=True,
    )
    db.session.add(cell)
    db.session.flush()
    audit.record("grid_cell.create", cell, changes=_plain(audit.snapshot(cell)), summary=cell.name)
    refresh_flags_later(cell.org_unit_id)
    return cell


def update_cell(
    cell: GridCell,
    *,
    name: str,
    kind: str,
    parent: GridCell | None,
    is_key_area: bool,
    key_area_kind: str | None,
    starts_at: time | None,
    ends_at: time | None,
    sort_order: int = 0,
) -> GridCell:
    """Change a cell's name, kind, place in the tree, key-area mark or period of the day."""
    if not cell.is_active:
        raise GridError(_("%(name)s is closed and can no longer change.", name=cell.name), "name")
    name = (name or "").strip()
    key_area_kind = key_area_kind if is_key_area else None
    _check_cell(
        _school_of(cell),
        cell,
        name=name,
        kind=kind,
        parent=parent,
        is_key_area=is_key_area,
        key_area_kind=key_area_kind,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    cell.name, cell.kind, cell.parent = name, kind, parent
    cell.parent_id = parent.id if parent is not None else None  # so the audit diff sees the move
    cell.is_key_area, cell.key_area_kind = is_key_area, key_area_kind
    cell.starts_at, cell.ends_at, cell.sort_order = starts_at, ends_at, sort_order or 0
    changes = _plain(audit.pending_changes(cell))
    if changes:
        audit.record("grid_cell.update", cell, changes=changes, summary=cell.name)
    return cell


def close_cell(cell: GridCell, closed_on: date) -> GridCell:
    """Close a cell; its owners stay responsible up to and including `closed_on`."""
    if not cell.is_active:
        raise GridError(_("%(name)s is already closed.", name=cell.name), "closed_on")
    if closed_on > tenant_today():
        raise GridError(
            _("A cell cannot be closed on a future date (%(day)s).", day=closed_on.isoformat()), "closed_on"
        )
    if closed_on < cell.opened_on:
        raise GridError(
            _(
                "%(name)s opened on %(opened)s and cannot close before that (%(day)s).",
                name=cell.name,
                opened=cell.opened_on.isoformat(),
                day=closed_on.isoformat(),
            ),
            "closed_on",
        )
    open_children = [child.name for child in cell.children if child.is_active]
    if open_children:
        raise GridError(
            _(
                "Close the cells inside %(name)s first: %(names)s.",
                name=cell.name,
                names="、".join(open_children),
            ),
            "closed_on",
        )
    ended = []
    for period in cell.ownerships:
        if period.ends_on is not None and period.ends_on <= closed_on:
            continue
        if period.starts_on > closed_on:
            raise GridError(
                _(
                    "%(name)s starts at %(cell)s on %(start)s, after the closing date %(day)s.",
                    name=period.staff.name,
                    cell=cell.name,
                    start=period.starts_on.isoformat(),
                    day=closed_on.isoformat(),
                ),
                "closed_on",
            )
        period.ends_on = closed_on
        ended.append(period.staff.name)
    cell.is_active, cell.closed_on = False, closed_on
    changes = _plain(audit.pending_changes(cell))
    _check_ownerships(cell)
    if ended:
        changes["owners_ended"] = {"before": None, "after": ended}
    audit.record("grid_cell.close", cell, changes=changes, summary=f"{cell.name} {closed_on.isoformat()}")
    refresh_flags_later(cell.org_unit_id)
    return cell


# --- staff ---------------------------------------------------------------------------------


def keeper_users(school: OrgUnit):
    """Select the users holding the grid-keeper role at the school (or above it)."""
    return (
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.GRID_KEEPER, RoleGrant.org_unit_id.in_(school.ancestor_ids))
        .order_by(User.username)
        .distinct()
    )


def _check_staff(school: OrgUnit, staff: Staff | None, *, name: str, phone: str, position: str, user) -> None:
    if not keeps_records(school):
        raise GridError(_("Only schools keep a campus grid."), "name")
    if not name or len(name) > STAFF_NAME_MAX:
        raise GridError(_("A name of 1 to %(n)d characters is required.", n=STAFF_NAME_MAX), "name")
    if phone and not PHONE.match(phone):
        raise GridError(
            _("%(value)s is not a phone number (digits, spaces, + and - only).", value=phone), "phone"
        )
    if len(position) > POSITION_MAX:
        raise GridError(_("At most %(n)d characters.", n=POSITION_MAX), "position")
    if user is None:
        return
    if user.id not in {u.id for u in db.session.scalars(keeper_users(school))}:
        raise GridError(
            _("%(user)s is not a grid keeper of %(school)s.", user=user.username, school=school.name),
            "user_id",
        )
    twin = select(Staff).where(Staff.org_unit_id == school.id, Staff.user_id == user.id, Staff.is_active)
    if staff is not None:
        twin = twin.where(Staff.id != staff.id)
    other = db.session.scalar(twin.limit(1))
    if other is not None:
        raise GridError(
            _("The login %(user)s already belongs to %(name)s.", user=user.username, name=other.name),
            "user_id",
        )


def create_staff(
    school: OrgUnit, *, name: str, phone: str = "", position: str = "", user: User | None = None
) -> Staff:
    """Add a person working at the school."""
    name, phone, position = (name or "").strip(), (phone or "").strip(), (position or "").strip()
    _check_staff(school, None, name=name, phone=phone, position=position, user=user)
    staff = Staff(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        school=school,
        name=name,
        phone=phone,
        position=position,
        user_id=user.id if user is not None else None,
        is_active=True,
    )
    db.session.add(staff)
    db.session.flush()
    audit.record("grid_staff.create", staff, changes=audit.snapshot(staff), summary=staff.name)
    return staff


def current_duties(staff: Staff, day: date | None = None) -> list[CellOwnership]:
    """Return the staff member's periods running on or after `day` (default today)."""
    day = day or tenant_today()
    return db.session.scalars(
        select(CellOwnership)
        .where(
            CellOwnership.staff_id == staff.id,
            (CellOwnership.ends_on.is_(None)) | (CellOwnership.ends_on >= day),
        )
        .order_by(CellOwnership.starts_on)
    ).all()


def update_staff(
    staff: Staff, *, name: str, phone: str, position: str, user: User | None, is_active: bool = True
) -> Staff:
    """Change a staff member's details, login link or active flag."""
    name, phone, position = (name or "").strip(), (phone or "").strip(), (position or "").strip()
    _check_staff(_school_of(staff), staff, name=name, phone=phone, position=position, user=user)
    if staff.is_active and not is_active:
        duties = current_duties(staff)
        if duties:
            raise GridError(
                _(
                    "%(name)s is still responsible for %(cells)s; hand over or end these first.",
                    name=staff.name,
                    cells="、".join(sorted({period.cell.name for period in duties})),
                ),
                "is_active",
            )
    staff.name, staff.phone, staff.position, staff.is_active = name, phone, position, is_active
    staff.user_id = user.id if user is not None else None
    changes = audit.pending_changes(staff)
    if changes:
        audit.record("grid_staff.update", staff, changes=changes, summary=staff.name)
    return staff


# --- owners and deputies ---------------------------------------------------------------------


def _check_person(cell: GridCell, staff: Staff, field: str) -> None:
    if not cell.is_active:
        raise GridError(_("%(name)s is closed.", name=cell.name), field)
    if staff.org_unit_id != cell.org_unit_id:
        raise GridError(_("%(name)s does not work at this school.", name=staff.name), field)
    if not staff.is_active:
        raise GridError(_("%(name)s is no longer active at this school.", name=staff.name), field)


def _new_period(cell: GridCell, staff: Staff, *, is_primary: bool, starts_on: date, ends_on=None):
    period = CellOwnership(
        tenant_id=cell.tenant_id,
        org_unit_id=cell.org_unit_id,
        staff=staff,
        is_primary=is_primary,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    cell.ownerships.append(period)
    return period


def _who(staff: Staff | None) -> str | None:
    return f"{staff.name} (#{staff.id})" if staff is not None else None


def assign_first_owner(cell: GridCell, staff: Staff, starts_on: date) -> CellOwnership:
    """Make `staff` the cell's first primary owner from `starts_on` on."""
    _check_person(cell, staff, "staff_id")
    if any(period.is_primary for period in cell.ownerships):
        raise GridError(
            _("%(cell)s already has a primary owner; record a handover instead.", cell=cell.name), "staff_id"
        )
    changes: dict[str, dict[str, Any]] = {
        "primary_owner": {"before": None, "after": _who(staff)},
        "starts_on": {"before": None, "after": starts_on.isoformat()},
    }
    if starts_on < cell.opened_on:
        # An owner from an earlier day shows the cell existed then.
        changes["opened_on"] = {"before": cell.opened_on.isoformat(), "after": starts_on.isoformat()}
        cell.opened_on = starts_on
    period = _new_period(cell, staff, is_primary=True, starts_on=starts_on)
    _check_ownerships(cell)
    audit.record(
        "grid_cell.assign_owner",
        cell,
        changes=changes,
        summary=f"{cell.name}: {staff.name} {starts_on.isoformat()}",
    )
    refresh_flags_later(cell.org_unit_id)
    return period


def hand_over(cell: GridCell, new_staff: Staff, handover_on: date) -> CellOwnership:
    """Hand the cell over: the old owner is responsible through `handover_on`, the new one from the next day."""
    _check_person(cell, new_staff, "staff_id")
    current = cell.latest_primary
    if current is None:
        raise GridError(
            _("%(cell)s has no primary owner yet; assign the first owner.", cell=cell.name), "staff_id"
        )
    if current.staff is new_staff:
        raise GridError(
            _("%(name)s is already the primary owner of %(cell)s.", name=new_staff.name, cell=cell.name),
            "staff_id",
        )
    if handover_on < current.starts_on:
        raise GridError(
            _(
                "A handover on %(day)s would be before %(name)s became owner of %(cell)s on %(start)s; "
                "the handover date must be on or after %(start)s.",
                day=handover_on.isoformat(),
                name=current.staff.name,
                cell=cell.name,
                start=current.starts_on.isoformat(),
            ),
            "handover_on",
        )
    if current.ends_on is not None and current.ends_on < handover_on:
        raise GridError(
            _(
                "%(name)s was responsible for %(cell)s only until %(end)s.",
                name=current.staff.name,
                cell=cell.name,
                end=current.ends_on.isoformat(),
            ),
            "handover_on",
        )
    first_day = handover_on + ONE_DAY
    changes: dict[str, dict[str, Any]] = {
        "primary_owner": {"before": _who(current.staff), "after": _who(new_staff)},
        "handover_on": {"before": None, "after": handover_on.isoformat()},
    }
    current.ends_on = handover_on
    # A deputy who takes the cell over stops being its deputy on the handover date.
    for period in cell.ownerships:
        if (
            not period.is_primary
            and period.staff is new_staff
            and period.starts_on <= handover_on
            and (period.ends_on is None or period.ends_on >= first_day)
        ):
            changes["deputy_ended"] = {"before": period.ends_on, "after": handover_on.isoformat()}
            period.ends_on = handover_on
    period = _new_period(cell, new_staff, is_primary=True, starts_on=first_day)
    _check_ownerships(cell)
    audit.record(
        "grid_cell.hand_over",
        cell,
        changes=changes,
        summary=f"{cell.name}: {current.staff.name} → {new_staff.name} {handover_on.isoformat()}",
    )
    refresh_flags_later(cell.org_unit_id)
    return period


def add_deputy(cell: GridCell, staff: Staff, starts_on: date, ends_on: date | None = None) -> CellOwnership:
    """Add a deputy (副责任人) from `starts_on` through `ends_on` (open when None)."""
    _check_person(cell, staff, "staff_id")
    if ends_on is not None and ends_on < starts_on:
        raise GridError(
            _(
                "The deputy period would end on %(end)s, before it starts on %(start)s.",
                end=ends_on.isoformat(),
                start=starts_on.isoformat(),
            ),
            "ends_on",
        )
    period = _new_period(cell, staff, is_primary=False, starts_on=starts_on, ends_on=ends_on)
    _check_ownerships(cell)
    audit.record(
        "grid_cell.add_deputy",
        cell,
        changes={
            "deputy": {"before": None, "after": _who(staff)},
            "starts_on": {"before": None, "after": starts_on.isoformat()},
            "ends_on": {"before": None, "after": ends_on.isoformat() if ends_on else None},
        },
        summary=f"{cell.name}: {staff.name}",
    )
    return period


def end_deputy(period: CellOwnership, ends_on: date) -> CellOwnership:
    """End a deputy's period: `ends_on` is their last day."""
    cell = period.cell
    if period.is_primary:
        raise GridError(_("The primary owner changes by a handover."), "ends_on")
    if period.ends_on is not None:
        raise GridError(
            _(
                "The deputy period of %(name)s already ended on %(day)s.",
                name=period.staff.name,
                day=period.ends_on.isoformat(),
            ),
            "ends_on",
        )
    if ends_on < period.starts_on:
        raise GridError(
            _(
                "%(name)s became deputy on %(start)s; the last day cannot be earlier (%(day)s).",
                name=period.staff.name,
                start=period.starts_on.isoformat(),
                day=ends_on.isoformat(),
            ),
            "ends_on",
        )
    period.ends_on = ends_on
    _check_ownerships(cell)
    audit.record(
        "grid_cell.end_deputy",
        cell,
        changes={
            "deputy": {"before": _who(period.staff), "after": None},
            "ends_on": {"before": None, "after": ends_on.isoformat()},
        },
        summary=f"{cell.name}: {period.staff.name} {ends_on.isoformat()}",
    )
    return period
