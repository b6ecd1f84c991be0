"""Drills a school held (应急疏散演练) and their photos."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

DRILL_KINDS = {
    "fire": _l("Fire"),
    "earthquake": _l("Earthquake"),
    "evacuation": _l("Evacuation"),
    "flood": _l("Flood"),
    "other": _l("Other"),
}
# How an obligation stands (schools.drills.rules).
STATUS_LABELS = {
    "met": _l("Met"),
    "due": _l("Due now"),
    "missed": _l("Missed"),
    "upcoming": _l("Not started"),
}
RULE_LABELS = {
    "month": _l("Monthly"),
    "quarter": _l("Quarterly"),
    "semester": _l("Per semester: fire or natural disaster"),
}
# Kinds that meet the semester rule "at least one fire or natural-disaster drill".
FIRE_OR_DISASTER = frozenset({"fire", "earthquake", "flood"})


class Drill(TenantScoped, db.Model):
    """One drill held by a school on one day."""

    __tablename__ = "drills"
    __table_args__ = (Index("ix_drills_tenant_unit_held", "tenant_id", "org_unit_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    held_on: Mapped[date] = mapped_column(Date)  # the tenant's local date
    kind: Mapped[str] = mapped_column(String(20))
    participants: Mapped[int] = mapped_column(Integer)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    problems: Mapped[str] = mapped_column(Text, default="")  # problems found (发现的问题)
    improvements: Mapped[str] = mapped_column(Text, default="")  # measures taken since (整改措施)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    school = relationship("OrgUnit")
    recorded_by = relationship("User")
    photos: Mapped[list["DrillPhoto"]] = relationship(
        back_populates="drill", order_by="DrillPhoto.id", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return str(DRILL_KINDS.get(self.kind, self.kind))


class DrillPhoto(TenantScoped, db.Model):
    """A photo of a drill, stored outside the web root under a generated name."""

    __tablename__ = "drill_photos"
    __table_args__ = (
        Index("ix_drill_photos_tenant_drill", "tenant_id", "drill_id"),
        UniqueConstraint("tenant_id", "stored_name", name="uq_drill_photos_tenant_stored_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    stored_name: Mapped[str] = mapped_column(String(80))  # unique per tenant (see __table_args__)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    drill: Mapped[Drill] = relationship(back_populates="photos")
