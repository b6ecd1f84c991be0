"""Rectification notices (隐患整改通知书): issued downward, answered, accepted or rejected."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

# issued → answered → accepted, or answered → rejected → answered again …
NOTICE_STATUSES = ("issued", "answered", "accepted", "rejected")
# The school still owes an answer in these statuses (so the notice can be unanswered past its deadline).
AWAITING_ANSWER = ("issued", "rejected")


class NoticeHazard(TenantScoped, db.Model):
    """A hazard listed on a notice (an association row that carries its tenant like every other row)."""

    __tablename__ = "notice_hazards"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"), primary_key=True)


notice_hazards = NoticeHazard.__table__


class NoticeCounter(TenantScoped, db.Model):
    """The last number given per tenant and year; its row is the lock that keeps numbering gap-free."""

    __tablename__ = "notice_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Notice(TenantScoped, db.Model):
    """One notice, numbered per tenant and year: 〔2026〕第12号."""

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "year", "number"),
        Index("ix_notices_tenant_target_status", "tenant_id", "org_unit_id", "status"),
        Index("ix_notices_tenant_issuer_status", "tenant_id", "issuer_unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))  # the school it is sent to
    issuer_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))  # central school or bureau
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # requirements, in the issuer's words
    status: Mapped[str] = mapped_column(String(12), default="issued")

    hazard_links: Mapped[list[NoticeHazard]] = relationship(cascade="all, delete-orphan")
    hazards = relationship(
        "Hazard", secondary="notice_hazards", viewonly=True, order_by="[Hazard.found_on, Hazard.id]"
    )
    answers: Mapped[list["NoticeAnswer"]] = relationship(
        order_by="NoticeAnswer.id", cascade="all, delete-orphan"
    )
    school = relationship("OrgUnit", foreign_keys=[org_unit_id])
    issuer_unit = relationship("OrgUnit", foreign_keys=[issuer_unit_id])

    @property
    def label(self) -> str:
        """The official number, e.g. 〔2026〕第12号."""
        return f"〔{self.year}〕第{self.number}号"

    @property
    def latest_answer(self) -> "NoticeAnswer | None":
        return self.answers[-1] if self.answers else None

    def is_overdue(self, today: date) -> bool:
        """Derived, never stored: the deadline has passed and the school still owes an answer."""
        return self.status in AWAITING_ANSWER and self.deadline < today


class NoticeAnswer(TenantScoped, db.Model):
    """A school's answer (measures taken) and the issuer's decision on it."""

    __tablename__ = "notice_answers"
    __table_args__ = (Index("ix_notice_answers_tenant_notice", "tenant_id", "notice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    measures: Mapped[str] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(12))  # accepted or rejected
    decision_comment: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attachments: Mapped[list["NoticeAttachment"]] = relationship(
        order_by="NoticeAttachment.id", cascade="all, delete-orphan"
    )


class NoticeAttachment(TenantScoped, db.Model):
    """A photo or PDF sent with an answer, stored outside the web root under a generated name."""

    __tablename__ = "notice_attachments"
    __table_args__ = (
        Index("ix_notice_attachments_tenant_answer", "tenant_id", "answer_id"),
        UniqueConstraint("tenant_id", "stored_name", name="uq_notice_attachments_tenant_stored_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("notice_answers.id"))
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))  # the answering school
    stored_name: Mapped[str] = mapped_column(String(80))  # unique per tenant (see __table_args__)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
