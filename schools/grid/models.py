"""Grid cells of a school, the staff who work there, and who owns which cell on which days.

Ownership periods are whole days in the tenant's calendar: `starts_on` and `ends_on` are
both inclusive and `ends_on` is None while the period is open. The handover rule (SPEC §2)
makes the old primary owner's last day the handover date and the new one's first day the
day after, so a cell's primary periods tile the calendar without gaps or overlaps.
"""

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

ONE_DAY = timedelta(days=1)


class Staff(TenantScoped, db.Model):
    """A person working at a school who can own grid cells; may be linked to a grid keeper's login."""

    __tablename__ = "staff_members"
    __table_args__ = (
        Index("ix_staff_members_tenant_school", "tenant_id", "org_unit_id", "name"),
        Index("ix_staff_members_tenant_user", "tenant_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school: Mapped[OrgUnit] = relationship()
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Staff {self.id} {self.name}>"


class GridCell(TenantScoped, db.Model):
    """A cell of a school's grid: a place, a class, a department or a period of the day."""

    __tablename__ = "grid_cells"
    __table_args__ = (Index("ix_grid_cells_tenant_school", "tenant_id", "org_unit_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    is_key_area: Mapped[bool] = mapped_column(Boolean, default=False)
    key_area_kind: Mapped[str | None] = mapped_column(String(30))
    # Time-axis cells only: the period of the day the cell covers (ends after it starts).
    starts_at: Mapped[time | None] = mapped_column(Time())
    ends_at: Mapped[time | None] = mapped_column(Time())
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The days the cell exists: coverage counts it from opened_on through closed_on.
    opened_on: Mapped[date] = mapped_column(Date())
    closed_on: Mapped[date | None] = mapped_column(Date())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school: Mapped[OrgUnit] = relationship()
    parent: Mapped["GridCell | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["GridCell"]] = relationship(
        back_populates="parent", order_by=lambda: (GridCell.sort_order, GridCell.name, GridCell.id)
    )
    ownerships: Mapped[list["CellOwnership"]] = relationship(
        back_populates="cell",
        order_by=lambda: (CellOwnership.starts_on, CellOwnership.id),
        cascade="all, delete-orphan",
    )

    def exists_on(self, day: date) -> bool:
        """Whether the cell was open on `day`."""
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)

    def owners_on(self, day: date) -> list["CellOwnership"]:
        """Return the periods covering `day`, the primary owner first."""
        found = [period for period in self.ownerships if period.covers(day)]
        return sorted(found, key=lambda period: (not period.is_primary, period.starts_on, period.id or 0))

    def primary_on(self, day: date) -> "CellOwnership | None":
        """Return the primary owner's period covering `day`, if any."""
        return next((p for p in self.owners_on(day) if p.is_primary), None)

    @property
    def latest_primary(self) -> "CellOwnership | None":
        """Return the primary period that starts last (the open one, when the cell is active)."""
        primaries = [period for period in self.ownerships if period.is_primary]
        return max(primaries, key=lambda p: (p.starts_on, p.id or 0)) if primaries else None

    def __repr__(self) -> str:
        return f"<GridCell {self.id} {self.name}>"


class CellOwnership(TenantScoped, db.Model):
    """A person responsible for a cell from `starts_on` through `ends_on` (inclusive; None = open)."""

    __tablename__ = "grid_cell_owners"
    __table_args__ = (
        Index("ix_grid_cell_owners_tenant_cell", "tenant_id", "grid_cell_id", "starts_on"),
        Index("ix_grid_cell_owners_tenant_school", "tenant_id", "org_unit_id", "starts_on"),
        Index("ix_grid_cell_owners_tenant_staff", "tenant_id", "staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The cell's school, kept here so periods are scoped like every other school record.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    grid_cell_id: Mapped[int] = mapped_column(ForeignKey("grid_cells.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_on: Mapped[date] = mapped_column(Date())
    ends_on: Mapped[date | None] = mapped_column(Date())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cell: Mapped[GridCell] = relationship(back_populates="ownerships")
    staff: Mapped[Staff] = relationship()

    def covers(self, day: date) -> bool:
        """Whether the period includes `day`."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def __repr__(self) -> str:
        return f"<CellOwnership {self.id} cell={self.grid_cell_id} staff={self.staff_id}>"


def _first_common_day(a: CellOwnership, b: CellOwnership) -> date | None:
    start = max(a.starts_on, b.starts_on)
    ends = [end for end in (a.ends_on, b.ends_on) if end is not None]
    return start if not ends or start <= min(ends) else None


def ownership_problems(cell: GridCell) -> list[str]:
    """Return what breaks the ownership rules of `cell` (empty when its periods are sound).

    Primary periods may neither overlap (two owners on one day) nor leave a gap from the
    first owner's first day until the cell closes (or for ever, while it is open).
    Deputies may overlap each other and the primary owner, but not themselves.
    """
    problems: list[str] = []
    periods = sorted(cell.ownerships, key=lambda p: (p.starts_on, p.id or 0))
    for period in periods:
        if period.ends_on is not None and period.ends_on < period.starts_on:
            problems.append(
                _(
                    "The period of %(name)s at %(cell)s would end on %(end)s, before it starts on %(start)s.",
                    name=period.staff.name,
                    cell=cell.name,
                    end=period.ends_on.isoformat(),
                    start=period.starts_on.isoformat(),
                )
            )
        elif cell.closed_on is not None and (period.ends_on is None or period.ends_on > cell.closed_on):
            problems.append(
                _(
                    "%(name)s would stay responsible for %(cell)s after it closed on %(day)s.",
                    name=period.staff.name,
                    cell=cell.name,
                    day=cell.closed_on.isoformat(),
                )
            )
    primaries = [period for period in periods if period.is_primary]
    for before, after in zip(primaries, primaries[1:], strict=False):
        if before.ends_on is None or before.ends_on >= after.starts_on:
            problems.append(
                _(
                    "%(first)s and %(second)s would both be primary owner of %(cell)s on %(day)s.",
                    first=before.staff.name,
                    second=after.staff.name,
                    cell=cell.name,
                    day=after.starts_on.isoformat(),
                )
            )
        elif before.ends_on + ONE_DAY < after.starts_on:
            problems.append(
                _(
                    "%(cell)s would have no primary owner from %(start)s to %(end)s "
                    "(between %(before)s and %(after)s).",
                    cell=cell.name,
                    start=(before.ends_on + ONE_DAY).isoformat(),
                    end=(after.starts_on - ONE_DAY).isoformat(),
                    before=before.staff.name,
                    after=after.staff.name,
                )
            )
    if primaries and primaries[-1].ends_on is not None:
        last = primaries[-1]
        if cell.closed_on is None:
            problems.append(
                _(
                    "%(cell)s would have no primary owner from %(day)s on (after %(name)s).",
                    cell=cell.name,
                    day=(last.ends_on + ONE_DAY).isoformat(),
                    name=last.staff.name,
                )
            )
        elif last.ends_on < cell.closed_on:
            problems.append(
                _(
                    "%(cell)s would have no primary owner from %(start)s to %(end)s (after %(name)s).",
                    cell=cell.name,
                    start=(last.ends_on + ONE_DAY).isoformat(),
                    end=cell.closed_on.isoformat(),
                    name=last.staff.name,
                )
            )
    deputies = [period for period in periods if not period.is_primary]
    for index, deputy in enumerate(deputies):
        for other in deputies[index + 1 :]:
            day = _first_common_day(deputy, other) if other.staff is deputy.staff else None
            if day is not None:
                problems.append(
                    _(
                        "%(name)s would be a deputy of %(cell)s twice on %(day)s.",
                        name=deputy.staff.name,
                        cell=cell.name,
                        day=day.isoformat(),
                    )
                )
        for primary in primaries:
            day = _first_common_day(deputy, primary) if primary.staff is deputy.staff else None
            if day is not None:
                problems.append(
                    _(
                        "%(name)s is the primary owner of %(cell)s on %(day)s and cannot also be its deputy.",
                        name=deputy.staff.name,
                        cell=cell.name,
                        day=day.isoformat(),
                    )
                )
    return problems
