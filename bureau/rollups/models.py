"""The rollup tables: wide rows of figures per org unit and month, and per month and category.

Grain (chosen so the rollups stay far smaller than the ledger):
- UnitMonth: one row per unit (school, central school, the bureau) and month, every figure a
  column. A unit's row is the sum over its subtree; rows whose figures are all zero are not
  kept, so a missing row reads as zeros.
- CategoryMonth: category detail only for the bureau and the level-2 units (central and
  directly-run schools), per month; a school's own category detail is read from its ledger.

Flow figures count what happened in the month (found, rectified…); stock figures (`*_end`)
are what stood open at the end of the month (for the current month: today).
"""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.extensions import db
from tenancy.models.base import TenantScoped


class UnitMonth(TenantScoped, db.Model):
    __tablename__ = "rollup_unit_months"
    __table_args__ = (Index("ix_rollup_unit_months_tenant_period", "tenant_id", "period", "overdue_end"),)

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)  # first day of the month
    # hazards found in the month, by level, and how many of those are rectified by now
    found: Mapped[int] = mapped_column(Integer, default=0)
    found_serious: Mapped[int] = mapped_column(Integer, default=0)
    found_major: Mapped[int] = mapped_column(Integer, default=0)
    found_closed: Mapped[int] = mapped_column(Integer, default=0)
    # hazards rectified in the month: on time, total days taken, and days-taken buckets
    rectified: Mapped[int] = mapped_column(Integer, default=0)
    rectified_on_time: Mapped[int] = mapped_column(Integer, default=0)
    rect_days: Mapped[int] = mapped_column(Integer, default=0)
    rect_d1: Mapped[int] = mapped_column(Integer, default=0)  # 0–1 days
    rect_d3: Mapped[int] = mapped_column(Integer, default=0)  # 2–3
    rect_d7: Mapped[int] = mapped_column(Integer, default=0)  # 4–7
    rect_d14: Mapped[int] = mapped_column(Integer, default=0)  # 8–14
    rect_d30: Mapped[int] = mapped_column(Integer, default=0)  # 15–30
    rect_d60: Mapped[int] = mapped_column(Integer, default=0)  # 31–60
    rect_dmore: Mapped[int] = mapped_column(Integer, default=0)  # over 60
    # hazards re-checked and closed (销号) in the month
    verified: Mapped[int] = mapped_column(Integer, default=0)
    verified_major: Mapped[int] = mapped_column(Integer, default=0)
    became_overdue: Mapped[int] = mapped_column(Integer, default=0)
    # monthly reports whose due time has passed: on time, late, missing
    reports_due: Mapped[int] = mapped_column(Integer, default=0)
    reports_on_time: Mapped[int] = mapped_column(Integer, default=0)
    reports_late: Mapped[int] = mapped_column(Integer, default=0)
    reports_missing: Mapped[int] = mapped_column(Integer, default=0)
    flags_raised: Mapped[int] = mapped_column(Integer, default=0)
    flags_cleared: Mapped[int] = mapped_column(Integer, default=0)
    # stocks at the end of the month
    open_end: Mapped[int] = mapped_column(Integer, default=0)
    overdue_end: Mapped[int] = mapped_column(Integer, default=0)
    major_open_end: Mapped[int] = mapped_column(Integer, default=0)  # under supervision (挂牌督办)
    flags_open_end: Mapped[int] = mapped_column(Integer, default=0)


class CategoryMonth(TenantScoped, db.Model):
    __tablename__ = "rollup_category_months"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    found: Mapped[int] = mapped_column(Integer, default=0)
    found_major: Mapped[int] = mapped_column(Integer, default=0)
    rectified: Mapped[int] = mapped_column(Integer, default=0)
    rectified_on_time: Mapped[int] = mapped_column(Integer, default=0)
    became_overdue: Mapped[int] = mapped_column(Integer, default=0)


KEYS = ("tenant_id", "org_unit_id", "period")
UNIT_FIGURES = tuple(c.name for c in UnitMonth.__table__.columns if c.name not in KEYS)
STOCKS = ("open_end", "overdue_end", "major_open_end", "flags_open_end")
FLOWS = tuple(name for name in UNIT_FIGURES if name not in STOCKS)
CATEGORY_FIGURES = tuple(
    c.name for c in CategoryMonth.__table__.columns if c.name not in KEYS + ("category",)
)


class RollupVersion(TenantScoped, db.Model):
    """One counter per tenant, raised by every write of its rollups (in the same transaction).

    Whatever is computed from the rollups (the dashboards' figures) may be cached under this
    number: a change anywhere in the tenant reaches the rollups through the flags job and makes
    the cached copies unreachable.
    """

    __tablename__ = "rollup_versions"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
