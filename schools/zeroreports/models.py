"""Zero-report windows (零报告/日报告期) the bureau switches on, their target units, the daily reports."""

from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

# Stored status: a window is active until the bureau switches it off (then ended). Whether an
# active window has started or is past its planned end is read from the dates (`phase`).
WINDOW_STATUSES = ("active", "ended")

PHASE_LABELS = {
    "upcoming": _l("Not started"),
    "open": _l("Running"),
    "over": _l("Over"),
    "switched_off": _l("Switched off"),
}

# A school's day in a window, as the completeness table shows it.
CELL_LABELS = {
    "reported": _l("Counts reported"),
    "zero": _l("Zero report"),
    "late": _l("Late"),
    "missing": _l("Missing"),
    "pending": _l("Not yet due"),
    "not_required": _l("Not required"),
}


class ZeroReportWindow(TenantScoped, db.Model):
    """A daily report period switched on by the bureau for all or some of its schools."""

    __tablename__ = "zeroreport_windows"
    __table_args__ = (Index("ix_zeroreport_windows_tenant_dates", "tenant_id", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The bureau that opened it: the window's scope unit (bureau users manage it).
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    title: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # None: open-ended until switched off
    deadline: Mapped[time] = mapped_column(Time)  # local time of each day, that whole minute included
    items: Mapped[list[str]] = mapped_column(JSON)  # the counted items, in the bureau's order
    # True: every school of the tenant (schools added later included); False: the target rows.
    covers_all: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12), default="active")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    switched_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    switched_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    bureau = relationship("OrgUnit", foreign_keys=[org_unit_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    switched_off_by = relationship("User", foreign_keys=[switched_off_by_id])
    targets: Mapped[list["ZeroReportTarget"]] = relationship(
        back_populates="window", cascade="all, delete-orphan", order_by="ZeroReportTarget.id"
    )

    @property
    def target_units(self) -> list:
        return [target.unit for target in self.targets]

    def phase(self, today: date) -> str:
        """upcoming / open / over (past its planned end) / switched_off, on the local day `today`."""
        if self.status == "ended":
            return "switched_off"
        if today < self.starts_on:
            return "upcoming"
        if self.ends_on is not None and today > self.ends_on:
            return "over"
        return "open"

    def __repr__(self) -> str:
        return f"<ZeroReportWindow {self.id} {self.title}>"


class ZeroReportTarget(TenantScoped, db.Model):
    """A unit whose subtree a window covers: a central school (all its schools) or one school."""

    __tablename__ = "zeroreport_targets"
    __table_args__ = (UniqueConstraint("tenant_id", "window_id", "org_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("zeroreport_windows.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))

    window: Mapped[ZeroReportWindow] = relationship(back_populates="targets")
    unit = relationship("OrgUnit")


class ZeroReport(TenantScoped, db.Model):
    """A school's report for one day of a window: the counts, or all zeros (零报告)."""

    __tablename__ = "zeroreports"
    __table_args__ = (
        UniqueConstraint("tenant_id", "window_id", "org_unit_id", "day"),
        Index("ix_zeroreports_tenant_unit_day", "tenant_id", "org_unit_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("zeroreport_windows.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    day: Mapped[date] = mapped_column(Date)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)  # {item: int ≥ 0}, every item of the window
    is_zero: Mapped[bool] = mapped_column(Boolean, default=True)  # derived from values when written
    # Judged once, by the first report of the day: a later correction never changes it.
    is_late: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the last correction
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    window: Mapped[ZeroReportWindow] = relationship()
    school = relationship("OrgUnit", foreign_keys=[org_unit_id])
    reported_by = relationship("User", foreign_keys=[reported_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    @property
    def state(self) -> str:
        """late, zero or reported: what the completeness table shows for this report."""
        if self.is_late:
            return "late"
        return "zero" if self.is_zero else "reported"
