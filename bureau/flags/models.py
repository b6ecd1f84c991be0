"""Flags: problems computed from the data, raised and cleared automatically, history kept."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

FLAG_KINDS = (
    "report_overdue",  # 信息报送不及时: a month's report not submitted by its due time
    "hazard_overdue",  # a hazard past its rectification deadline
    "major_unverified",  # a major hazard not yet verified (挂牌督办)
    "grid_blind_spot",  # a grid cell with no owner today (监管盲区)
    "notice_unanswered",  # a rectification notice unanswered past its deadline
    "drill_missed",  # a required drill not held in its month, quarter or semester (schools/drills)
    "incident_late",  # an incident reported more than one hour after it happened (schools/incidents)
    "duty_gap",  # a day without a duty person or leader on duty (schools/duty)
    "zero_report_missing",  # a daily zero-report not made by its deadline (schools/zeroreports)
)


class Flag(TenantScoped, db.Model):
    """One raised problem of one unit about one subject; cleared_at is set when it resolves."""

    __tablename__ = "flags"
    __table_args__ = (
        Index("ix_flags_tenant_open", "tenant_id", "cleared_at", "kind"),
        Index("ix_flags_tenant_unit", "tenant_id", "org_unit_id", "cleared_at"),
        Index("ix_flags_tenant_subject", "tenant_id", "kind", "subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))  # the unit at fault
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(80))  # e.g. "hazard:123", "period:2026-03", "cell:9"
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InboxMessage(TenantScoped, db.Model):
    """A user's daily digest: what needs them (returned reports, notices, new flags in scope)."""

    __tablename__ = "inbox_messages"
    __table_args__ = (Index("ix_inbox_tenant_user_day", "tenant_id", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    day: Mapped[str] = mapped_column(String(10))  # local date, YYYY-MM-DD: one digest a day
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
