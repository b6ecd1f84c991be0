"""The transactional outbox: work recorded with the data change it follows, done later by a job."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow


class OutboxItem(TenantScoped, db.Model):
    """One piece of work. Items sharing (tenant, job, key) coalesce into one run of the job."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_tenant_pending", "tenant_id", "job", "key", "finished_at"),
        Index("ix_outbox_pending", "finished_at", "created_at"),
        # A scheduled tick is written once per period, however many schedulers run.
        UniqueConstraint("tenant_id", "once_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    once_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
