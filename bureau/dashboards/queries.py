"""Reads behind the dashboards: KPI tiles, the drill-down list, and a school's status panels.

Every figure comes from bureau.rollups.read; the drill-down selects the hazards a figure counts
with the same SQL definition (measures.hazard_condition), limited to the unit's subtree and
the view's filters, so a listed page holds exactly the hazards behind the number.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, func, select

from bureau.flags.queries import board_order, counts_by_kind, visible_flags, with_units
from bureau.review.escalations.queries import receiving_units
from bureau.rollups.measures import HAZARD_MEASURES, hazard_condition
from bureau.rollups.read import Filters, totals, unit_series
from schools.grid.queries import keeper_only
from schools.hazards.access import keeper_filter, visible_hazards
from schools.hazards.models import OPEN_STATUSES, Hazard
from schools.hazards.queries import escalated_to, overdue_condition
from schools.submissions.due import current_period, due_at, month_end
from schools.submissions.models import Submission
from schools.submissions.queries import MonthRow, review_queue
from schools.units import NOT_SCHOOLS
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.roles import can
from tenancy.settings.store import tenant_timezone

NOT_COUNTED_AS_SCHOOLS = NOT_SCHOOLS + ("grade_group",)
STOCK_MEASURES = ("open_end", "overdue_end", "major_open_end")

MEASURE_LABELS = {
    "found": _l("Hazards found"),
    "found_serious": _l("Serious hazards found"),
    "found_major": _l("Major hazards found"),
    "found_closed": _l("Hazards found and rectified since"),
    "rectified": _l("Hazards rectified"),
    "rectified_on_time": _l("Hazards rectified on time"),
    "rectified_late": _l("Hazards rectified late"),
    "verified": _l("Hazards re-checked and closed"),
    "verified_major": _l("Major hazards re-checked and closed"),
    "became_overdue": _l("Hazards that became overdue"),
    "open_end": _l("Open hazards"),
    "overdue_end": _l("Overdue hazards"),
    "major_open_end": _l("Major hazards under supervision"),
}


# --- the drill-down ------------------------------------------------------------------------


def is_stock(measure: str) -> bool:
    """Stocks are counted at the end of the last month; flows over the whole range."""
    return measure in STOCK_MEASURES


def drill_query(unit: OrgUnit, measure: str, filters: Filters, today: date) -> Select:
    """Rows (Hazard, OrgUnit) of exactly the hazards `measure` counts for the unit under the filters."""
    if measure not in HAZARD_MEASURES:
        raise ValueError(measure)
    query = (
        select(Hazard, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Hazard.org_unit_id)
        .where(
            hazard_condition(measure, filters.first, filters.last, today),
            OrgUnit.path.startswith(unit.path),
        )
    )
    if filters.category:
        query = query.where(Hazard.category == filters.category)
    if filters.level:
        query = query.where(Hazard.level == filters.level)
    if filters.kind:
        query = query.where(OrgUnit.kind == filters.kind)
    if filters.ownership:
        query = query.where(OrgUnit.is_private == (filters.ownership == "private"))
    if keeper_only(unit):
        query = keeper_filter(query)  # a grid keeper lists only their own cells' hazards
    return query


# --- KPI tiles -----------------------------------------------------------------------------


@dataclass
class Kpi:
    """One tile: its value now and a month earlier, and the hazards behind it (a measure)."""

    key: str
    label: str
    value: float | int | None
    previous: float | int | None
    is_rate: bool = False
    measure: str | None = None  # drill-down measure of the number
    higher_is_better: bool = False
    detail: str = ""

    @property
    def change(self) -> float | int | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _count(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _rate(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def schools_count(unit: OrgUnit, filters: Filters, period: date) -> int:
    """Active schools in the subtree (passing the kind and ownership filters) at the end of `period`."""
    end = month_end(period) + timedelta(days=1)
    query = select(func.count(OrgUnit.id)).where(
        OrgUnit.path.startswith(unit.path),
        OrgUnit.is_active,
        OrgUnit.kind.notin_(NOT_COUNTED_AS_SCHOOLS),
        OrgUnit.created_at < datetime.combine(end, time(), tzinfo=tenant_timezone()),
    )
    if filters.kind:
        query = query.where(OrgUnit.kind == filters.kind)
    if filters.ownership:
        query = query.where(OrgUnit.is_private == (filters.ownership == "private"))
    return db.session.scalar(query) or 0


def kpis(unit: OrgUnit, filters: Filters, *, with_schools: bool = True) -> tuple[list[Kpi], pd.DataFrame]:
    """The unit's tiles (each with last month's value) and its monthly series (for the trend)."""
    series = unit_series(unit, filters)
    now, before = totals(series), totals(unit_series(unit, filters.previous()))
    tiles = []
    if with_schools:
        tiles.append(
            Kpi(
                "schools",
                _l("Schools"),
                schools_count(unit, filters, filters.last),
                schools_count(unit, filters, filters.previous().last),
                higher_is_better=True,
            )
        )
    for key, label, measure in (
        ("open_end", _l("Open hazards"), "open_end"),
        ("overdue_end", _l("Overdue"), "overdue_end"),
        ("major_open_end", _l("Major hazards under supervision"), "major_open_end"),
    ):
        tiles.append(Kpi(key, label, _count(now[key]), _count(before[key]), measure=measure))
    tiles.append(
        Kpi(
            "report_rate",
            _l("On-time report rate"),
            _rate(now["report_rate"]),
            _rate(before["report_rate"]),
            is_rate=True,
            higher_is_better=True,
            detail=f"{_count(now['reports_on_time'])} / {_count(now['reports_due'])}",
        )
    )
    tiles.append(
        Kpi(
            "rectification_rate",
            _l("Rectification rate"),
            _rate(now["rectification_rate"]),
            _rate(before["rectification_rate"]),
            is_rate=True,
            measure="found_closed",
            higher_is_better=True,
            detail=f"{_count(now['found_closed'])} / {_count(now['found'])}",
        )
    )
    return tiles, series


def records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as dicts, missing values (NaN) as None."""
    if frame.empty:
        return []
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


# --- lists of the oversight view -----------------------------------------------------------


def open_flags(unit: OrgUnit, limit: int = 10) -> tuple[list, dict[str, int]]:
    """The open flags of the unit's subtree the user may see (first `limit`), and counts by kind."""
    query = board_order(with_units(visible_flags(current_user, unit=unit))).limit(limit)
    return [tuple(row) for row in db.session.execute(query)], counts_by_kind(current_user, unit=unit)


def waiting_reports(unit: OrgUnit, limit: int = 5) -> tuple[list[Submission], int] | None:
    """Reports submitted to the unit and waiting for its review, oldest first; None if the user does not review."""
    if not can("report.review", unit):
        return None
    query = review_queue(current_user).where(
        Submission.reviewer_unit_id == unit.id, Submission.status == "submitted"
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(query.order_by(Submission.submitted_at, Submission.id).limit(limit)).all()
    return items, total


def waiting_escalations(unit: OrgUnit) -> int | None:
    """How many hazards wait in the unit's escalation queue; None if the user does not work it."""
    if unit.id not in {u.id for u in receiving_units()}:
        return None
    return db.session.scalar(select(func.count()).select_from(escalated_to(unit).subquery())) or 0


# --- a school's own panels -----------------------------------------------------------------


def ledger_status(school: OrgUnit) -> dict[str, int]:
    """The school's own ledger by status (what the user may see of it)."""
    query = visible_hazards(school).subquery()
    rows = db.session.execute(select(query.c.status, func.count()).group_by(query.c.status)).all()
    return dict(rows)


def _subtree_hazards(unit: OrgUnit) -> Select:
    query = (
        select(Hazard, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Hazard.org_unit_id)
        .where(OrgUnit.path.startswith(unit.path))
    )
    return keeper_filter(query) if keeper_only(unit) else query


def due_soon(unit: OrgUnit, today: date, days: int = 7) -> list:
    """Open hazards of the subtree whose deadline falls within the next `days` days, soonest first."""
    query = _subtree_hazards(unit).where(
        Hazard.status.in_(OPEN_STATUSES), Hazard.deadline.between(today, today + timedelta(days=days))
    )
    return [tuple(row) for row in db.session.execute(query.order_by(Hazard.deadline, Hazard.id).limit(50))]


def overdue_items(unit: OrgUnit, today: date, limit: int = 20) -> tuple[list, int]:
    """Overdue hazards of the subtree, longest overdue first (first `limit`), and how many in all."""
    query = _subtree_hazards(unit).where(overdue_condition(today))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(query.order_by(Hazard.deadline, Hazard.id).limit(limit))
    return [tuple(row) for row in rows], total


def report_months(school: OrgUnit, months: int = 3) -> list[MonthRow]:
    """The school's monthly reports of the current month and the ones before it, newest first."""
    period = current_period()
    periods = [period]
    for _index in range(months - 1):
        periods.append((periods[-1] - timedelta(days=1)).replace(day=1))
    joined = school.created_at.astimezone(tenant_timezone()).date().replace(day=1)
    periods = [p for p in periods if p >= joined]  # a school owes reports from the month it joined
    rows = {p: MonthRow(p, due_at(p)) for p in periods}
    found = db.session.scalars(
        select(Submission)
        .where(Submission.org_unit_id == school.id, Submission.period.in_(periods))
        .order_by(Submission.period, Submission.version)
    )
    for submission in found:
        row = rows[submission.period]
        if not row.versions:
            row.due_at = submission.due_at
        row.versions.append(submission)
    return [rows[p] for p in periods]
