"""Monthly reports a school submits upward (信息报送): frozen snapshots, versions, reviews."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

# submitted → approved, or submitted → returned (then a new version is submitted).
SUBMISSION_STATUSES = ("submitted", "returned", "approved")


class Submission(TenantScoped, db.Model):
    """One version of a school's report for one month; a submitted snapshot never changes."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "org_unit_id", "period", "version"),
        Index("ix_submissions_tenant_period_status", "tenant_id", "period", "status"),
        # review queues: what waits for one reviewing unit, oldest first
        Index(
            "ix_submissions_tenant_reviewer_status", "tenant_id", "reviewer_unit_id", "status", "submitted_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    # Who reviews it: the school's central school, or the bureau for a directly-run school,
    # fixed when submitted (schools move; the report stays with the reviewer of its time).
    reviewer_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    period: Mapped[date] = mapped_column(Date)  # the first day of the reported month
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default="submitted")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)  # the month's ledger figures, frozen
    narrative: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)

    school = relationship("OrgUnit", foreign_keys=[org_unit_id])
    reviewer_unit = relationship("OrgUnit", foreign_keys=[reviewer_unit_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])

    @property
    def is_late(self) -> bool:
        """Late is derived from the times, never stored."""
        return self.submitted_at > self.due_at
