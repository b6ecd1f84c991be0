"""Incidents and emergencies (安全事故/突发事件), their reports (first, 续报, 结案报告) and files."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

KINDS = {
    "injury": _l("Injury"),
    "fire": _l("Fire"),
    "food_poisoning": _l("Food poisoning"),
    "traffic": _l("Traffic accident"),
    "drowning": _l("Drowning"),
    "violence_bullying": _l("Violence or bullying"),
    "infectious_disease": _l("Infectious disease"),
    "natural_disaster": _l("Natural disaster"),
    "other": _l("Other"),
}

# The national four-grade scale of emergencies, lowest first.
SEVERITIES = {
    "general": _l("General (grade IV)"),
    "larger": _l("Larger (grade III)"),
    "major": _l("Major (grade II)"),
    "especially_major": _l("Especially major (grade I)"),
}
SERIOUS_SEVERITIES = ("larger", "major", "especially_major")

STATUSES = {"open": _l("Being handled"), "closed": _l("Closed")}

REPORT_KINDS = {
    "first": _l("First report"),
    "follow_up": _l("Follow-up report"),
    "closing": _l("Closing report"),
}

# Names of the facts a later report may change, for the timeline.
FACT_LABELS = {
    "severity": _l("Severity"),
    "deaths": _l("Deaths"),
    "serious_injuries": _l("Seriously injured"),
    "minor_injuries": _l("Slightly injured"),
    "measures": _l("Response measures"),
    "is_responsibility_accident": _l("Responsibility accident"),
}

ON_TIME_MINUTES = 60  # the one-hour rule: a lag of exactly 60 minutes is on time


class Incident(TenantScoped, db.Model):
    """One incident at a school: when it happened, when the platform first heard of it, its facts."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_tenant_unit_occurred", "tenant_id", "org_unit_id", "occurred_at"),
        Index("ix_incidents_tenant_status", "tenant_id", "status", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # reported_at − occurred_at in whole minutes, fixed when the first report is recorded.
    lag_minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(20), default="general")
    place: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    serious_injuries: Mapped[int] = mapped_column(Integer, default=0)
    minor_injuries: Mapped[int] = mapped_column(Integer, default=0)
    measures: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    is_responsibility_accident: Mapped[bool] = mapped_column(Boolean, default=False)  # 责任事故
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    school = relationship("OrgUnit")
    reported_by = relationship("User", foreign_keys=[reported_by_id])
    reports: Mapped[list["IncidentReport"]] = relationship(
        back_populates="incident", order_by="IncidentReport.id", cascade="all, delete-orphan"
    )

    @hybrid_property
    def is_late(self) -> bool:
        return self.lag_minutes > ON_TIME_MINUTES

    @hybrid_property
    def is_serious(self) -> bool:
        """Larger or above, or anyone dead or seriously injured."""
        return self.severity in SERIOUS_SEVERITIES or self.deaths > 0 or self.serious_injuries > 0

    @is_serious.inplace.expression
    @classmethod
    def _is_serious_expression(cls):
        return or_(cls.severity.in_(SERIOUS_SEVERITIES), cls.deaths > 0, cls.serious_injuries > 0)

    @property
    def casualties(self) -> int:
        return self.deaths + self.serious_injuries + self.minor_injuries

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def title(self) -> str:
        """Kind and place, e.g. "食物中毒 · 食堂"."""
        return f"{self.kind_label} · {self.place}"

    @property
    def closing_report(self) -> "IncidentReport | None":
        return next((report for report in self.reports if report.kind == "closing"), None)


class IncidentReport(TenantScoped, db.Model):
    """The first report, a follow-up (续报) or the closing report (结案报告) of an incident."""

    __tablename__ = "incident_reports"
    __table_args__ = (Index("ix_incident_reports_tenant_incident", "tenant_id", "incident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))  # the incident's school
    kind: Mapped[str] = mapped_column(String(12))  # first, follow_up, closing
    text: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(120), default="")
    # Facts this report changed on the incident: {field: {"before", "after"}}.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    incident: Mapped[Incident] = relationship(back_populates="reports")
    author = relationship("User")
    attachments: Mapped[list["IncidentAttachment"]] = relationship(
        order_by="IncidentAttachment.id", cascade="all, delete-orphan"
    )


class IncidentAttachment(TenantScoped, db.Model):
    """A photo or PDF with an incident report, stored outside the web root under a generated name."""

    __tablename__ = "incident_attachments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "stored_name"),
        Index("ix_incident_attachments_tenant_report", "tenant_id", "report_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("incident_reports.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
