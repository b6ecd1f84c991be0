"""The duty roster (值班): one row per school and day with the duty person and the leader on duty."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

NAME_MAX, PHONE_MAX, NOTE_MAX = 60, 20, 500


class DutyDay(TenantScoped, db.Model):
    """Who is on duty at a school on a day; a holiday still needs both people."""

    __tablename__ = "duty_days"
    __table_args__ = (
        UniqueConstraint("tenant_id", "org_unit_id", "day"),
        Index("ix_duty_days_tenant_day", "tenant_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    day: Mapped[date] = mapped_column(Date)
    duty_person: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    duty_phone: Mapped[str] = mapped_column(String(PHONE_MAX), default="")
    leader: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    leader_phone: Mapped[str] = mapped_column(String(PHONE_MAX), default="")
    is_holiday: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    school = relationship("OrgUnit")

    @property
    def missing(self) -> list[str]:
        """What the day lacks: "person" and/or "leader"."""
        return [name for name, value in (("person", self.duty_person), ("leader", self.leader)) if not value]
