"""Hazards of a school's ledger (隐患排查治理台账), their history and their evidence files."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

OPEN_STATUSES = ("open", "rectifying", "escalated")  # not yet rectified: these can be overdue


class LedgerImport(TenantScoped, db.Model):
    """One confirmed upload of a ledger file: who brought which file, and what it changed."""

    __tablename__ = "ledger_imports"
    __table_args__ = (Index("ix_ledger_imports_tenant_unit", "tenant_id", "org_unit_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)


class Hazard(TenantScoped, db.Model):
    """One hazard: found, rectified, re-checked and closed (销号), or escalated upward."""

    __tablename__ = "hazards"
    __table_args__ = (
        Index("ix_hazards_tenant_unit_found", "tenant_id", "org_unit_id", "found_on"),
        Index("ix_hazards_tenant_unit_status", "tenant_id", "org_unit_id", "status", "deadline"),
        Index("ix_hazards_tenant_level_status", "tenant_id", "level", "status"),
        Index("ix_hazards_tenant_escalated", "tenant_id", "escalated_to_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    # The school's parent when the hazard was recorded: schools move, history does not.
    recorded_parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    seq: Mapped[str | None] = mapped_column(String(20))
    found_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="daily")
    grid_cell_id: Mapped[int | None] = mapped_column(ForeignKey("grid_cells.id"))
    location: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    category_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    level: Mapped[str] = mapped_column(String(10), default="general")
    description: Mapped[str] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(80))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    rectified_on: Mapped[date | None] = mapped_column(Date)
    rectified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verification: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_on: Mapped[date | None] = mapped_column(Date)
    escalated_to_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    remark: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ledger_import_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_imports.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    events: Mapped[list["HazardEvent"]] = relationship(
        back_populates="hazard", order_by="HazardEvent.id", cascade="all, delete-orphan"
    )
    evidence: Mapped[list["Evidence"]] = relationship(order_by="Evidence.id", cascade="all, delete-orphan")
    school = relationship("OrgUnit", foreign_keys=[org_unit_id])
    escalated_to = relationship("OrgUnit", foreign_keys=[escalated_to_id])

    def is_overdue(self, today: date) -> bool:
        """Overdue is derived, never stored: deadline passed and not yet rectified."""
        return self.deadline is not None and self.deadline < today and self.status in OPEN_STATUSES

    @property
    def under_supervision(self) -> bool:
        """A major hazard stays on the supervision list (挂牌督办) until it is verified."""
        return self.level == "major" and self.status != "verified"


class HazardEvent(TenantScoped, db.Model):
    """One step of a hazard's history: who moved it from which status to which, when and why."""

    __tablename__ = "hazard_events"
    __table_args__ = (Index("ix_hazard_events_tenant_hazard", "tenant_id", "hazard_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    hazard: Mapped[Hazard] = relationship(back_populates="events")


class Evidence(TenantScoped, db.Model):
    """A photo or PDF attached to a hazard, stored outside the web root under a generated name."""

    __tablename__ = "hazard_evidence"
    __table_args__ = (
        Index("ix_hazard_evidence_tenant_hazard", "tenant_id", "hazard_id"),
        UniqueConstraint("tenant_id", "stored_name", name="uq_hazard_evidence_tenant_stored_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    stage: Mapped[str] = mapped_column(String(20))  # found or rectification
    stored_name: Mapped[str] = mapped_column(String(80))  # unique per tenant (see __table_args__)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
