"""The assessment tables: a rubric per tenant and year, its indicators, entered scores, results.

Design:
- `Rubric`: one per (tenant, year). Grade bands are the lowest total of each grade. The year
  is open until the bureau closes it; a closed year's results are frozen (no recompute, no
  score or rubric change) until an audited reopening.
- `Indicator`: what is scored, in the rubric's order. A *score* indicator earns 0..weight
  points; the weights of a rubric's score indicators add up to 100, so a school's total is
  0..100. A *veto* indicator (一票否决) earns nothing: when it applies the school fails
  (不合格) whatever its total. ``source`` names where the numbers come from (sources.py) or
  "entered" (typed in by bureau or central staff); ``rule`` says how they become points
  (scoring.py) and ``params`` holds the rule's numbers (e.g. deductions per occurrence).
- `EnteredScore`: one entered value per (indicator, school), with a comment and who gave it.
- `Result`: one row per (rubric, school) written by the computation: what each source counted
  (``figures``), the points per indicator (``details``), total, veto, grade and ranks.
  Computing replaces the rows, so the job can be retried and gives the same answer. Entered
  scores and rubric edits rescore the stored figures at once, without counting again.
"""

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

# Grade → label; the order is best first. Bands hold the lowest total of every grade but the last.
GRADES = {
    "excellent": _l("Excellent"),
    "good": _l("Good"),
    "pass": _l("Pass"),
    "fail": _l("Fail"),
}
DEFAULT_BANDS = {"excellent": 90, "good": 80, "pass": 60}
KINDS = {"score": _l("Scored"), "veto": _l("Veto (一票否决)")}


class Rubric(TenantScoped, db.Model):
    __tablename__ = "assessment_rubrics"
    __table_args__ = (UniqueConstraint("tenant_id", "year", name="uq_assessment_rubrics_tenant_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    bands: Mapped[dict[str, Any]] = mapped_column(JSON, default=lambda: dict(DEFAULT_BANDS))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The last computation: when it ran and the last day it covered (the year's end, or the
    # day of a mid-year preview).
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    computed_through: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str] = mapped_column(String(80), default="")

    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="rubric", order_by="Indicator.position, Indicator.id", cascade="all, delete-orphan"
    )

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def indicator(self, code: str) -> "Indicator | None":
        return next((item for item in self.indicators if item.code == code), None)


class Indicator(TenantScoped, db.Model):
    __tablename__ = "assessment_indicators"
    __table_args__ = (
        UniqueConstraint("tenant_id", "rubric_id", "code", name="uq_assessment_indicators_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("assessment_rubrics.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10), default="score")  # KINDS
    weight: Mapped[int] = mapped_column(Integer, default=0)  # points; 0 for veto items
    source: Mapped[str] = mapped_column(String(20))  # sources.SOURCES or "entered"
    rule: Mapped[str] = mapped_column(String(20))  # scoring.RULES
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[str] = mapped_column(Text, default="")  # what evidence stands behind the number

    rubric: Mapped[Rubric] = relationship(back_populates="indicators")

    @property
    def is_entered(self) -> bool:
        return self.source == "entered"

    @property
    def is_veto(self) -> bool:
        return self.kind == "veto"


class EnteredScore(TenantScoped, db.Model):
    __tablename__ = "assessment_entered_scores"
    __table_args__ = (
        UniqueConstraint("tenant_id", "indicator_id", "org_unit_id", name="uq_assessment_entered_scores"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("assessment_indicators.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    value: Mapped[float] = mapped_column(Float)  # 0..max for scores; 1 (applies) or 0 for veto items
    comment: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(80), default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    indicator: Mapped[Indicator] = relationship()


class Result(TenantScoped, db.Model):
    __tablename__ = "assessment_results"
    __table_args__ = (
        UniqueConstraint("tenant_id", "rubric_id", "org_unit_id", name="uq_assessment_results_school"),
        Index("ix_assessment_results_tenant_rubric_central", "tenant_id", "rubric_id", "central_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("assessment_rubrics.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    # The level-2 unit the school belonged to when computed: its central school, or itself for a
    # directly-run school. Ranks "within the central school" compare schools with the same one.
    central_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    first_day: Mapped[date] = mapped_column(Date)  # Jan 1, or the day the school was added
    last_day: Mapped[date] = mapped_column(Date)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    grade: Mapped[str] = mapped_column(String(10))  # GRADES
    rank_tenant: Mapped[int] = mapped_column(Integer)
    rank_central: Mapped[int] = mapped_column(Integer)
    # source → {figure: number}: what the computation counted (rescoring reads these)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # indicator code → {"counts": {...}, "rate": % or None, "value": entered value or None,
    #         "points": points earned, "applies": veto applies?, "comment": entered comment, "note": why}
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org_unit = relationship("OrgUnit", foreign_keys=[org_unit_id])
    central = relationship("OrgUnit", foreign_keys=[central_id])
