"""Reads of zero-reports: windows in scope, a school's days, the daily completeness table.

Queries are set-based: one query for the windows (with their target paths), one for the
schools, one for the reports of a batch, however many schools and days there are.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import abort
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import selectinload

from schools.units import NOT_SCHOOLS
from schools.zeroreports import rules
from schools.zeroreports.models import ZeroReport, ZeroReportTarget, ZeroReportWindow
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.roles import can
from tenancy.scoping import subtree_filter, visible_org_ids, visible_paths
from tenancy.settings.store import tenant_timezone

# --- windows in scope ------------------------------------------------------------------------------


def visible_windows(user=None) -> Select:
    """Select the windows the user sees: every window at the bureau; below it, those covering
    all schools or with a target inside the user's subtrees or above them."""
    paths = visible_paths(user)
    if not paths:
        return select(ZeroReportWindow).where(ZeroReportWindow.id.is_(None))
    if any(path.count("/") == 2 for path in paths):  # "/<bureau id>/": the whole tenant
        return select(ZeroReportWindow)
    ancestors = {int(part) for path in paths for part in path.strip("/").split("/")}
    target_in_scope = exists().where(
        ZeroReportTarget.window_id == ZeroReportWindow.id,
        ZeroReportTarget.org_unit_id == OrgUnit.id,
        or_(subtree_filter(OrgUnit.path, paths), OrgUnit.id.in_(ancestors)),
    )
    return select(ZeroReportWindow).where(or_(ZeroReportWindow.covers_all, target_in_scope))


def get_window_or_404(window_id: int, permission: str | None = None) -> ZeroReportWindow:
    """Load a window the user sees (404 otherwise); with `permission`, 403 unless held at the bureau."""
    window = db.session.scalar(visible_windows().where(ZeroReportWindow.id == window_id))
    if window is None:
        abort(404)
    if permission is not None and not can(permission, window.bureau):
        abort(403)
    return window


def windows_covering(school: OrgUnit) -> Select:
    """Select the windows whose target includes the school (all-school windows included)."""
    ancestors = school.ancestor_ids
    return select(ZeroReportWindow).where(
        or_(
            ZeroReportWindow.covers_all,
            exists().where(
                ZeroReportTarget.window_id == ZeroReportWindow.id, ZeroReportTarget.org_unit_id.in_(ancestors)
            ),
        )
    )


def active_windows_for(school: OrgUnit, today: date) -> list[ZeroReportWindow]:
    """Return the windows the school must report in on `today` (switched on, started, not ended)."""
    if not rules.reports_daily(school):
        return []
    tz = tenant_timezone()
    found = db.session.scalars(
        windows_covering(school)
        .where(
            ZeroReportWindow.status == "active",
            ZeroReportWindow.starts_on <= today,
            or_(ZeroReportWindow.ends_on.is_(None), ZeroReportWindow.ends_on >= today),
        )
        .order_by(ZeroReportWindow.starts_on, ZeroReportWindow.id)
    )
    return [window for window in found if rules.first_day(window, school, tz) <= today]


def windows_with_paths(
    *, since: date, until: date, active_only: bool = False
) -> list[tuple[ZeroReportWindow, list[str] | None]]:
    """Return (window, target paths or None for all) of every window overlapping [since, until], one query."""
    query = (
        select(ZeroReportWindow, OrgUnit.path)
        .outerjoin(ZeroReportTarget, ZeroReportTarget.window_id == ZeroReportWindow.id)
        .outerjoin(OrgUnit, OrgUnit.id == ZeroReportTarget.org_unit_id)
        .where(
            ZeroReportWindow.starts_on <= until,
            or_(ZeroReportWindow.ends_on.is_(None), ZeroReportWindow.ends_on >= since),
        )
        .order_by(ZeroReportWindow.id)
    )
    if active_only:
        query = query.where(ZeroReportWindow.status == "active")
    found: dict[int, tuple[ZeroReportWindow, list[str] | None]] = {}
    for window, path in db.session.execute(query):
        if window.id not in found:
            found[window.id] = (window, None if window.covers_all else [])
        if path is not None and found[window.id][1] is not None:
            found[window.id][1].append(path)
    return list(found.values())


def reported_days(
    window_ids: Iterable[int], unit_ids: Iterable[int], since: date
) -> set[tuple[int, int, date]]:
    """Return {(window id, unit id, day)} of every report of those windows and units from `since` on."""
    window_ids, unit_ids = list(window_ids), list(unit_ids)
    if not window_ids or not unit_ids:
        return set()
    rows = db.session.execute(
        select(ZeroReport.window_id, ZeroReport.org_unit_id, ZeroReport.day).where(
            ZeroReport.window_id.in_(window_ids),
            ZeroReport.org_unit_id.in_(unit_ids),
            ZeroReport.day >= since,
        )
    )
    return {(window_id, unit_id, day) for window_id, unit_id, day in rows}


# --- the completeness table ---------------------------------------------------------------------


@dataclass
class Cell:
    """One school's day: its state (models.CELL_LABELS) and the report when there is one."""

    day: date
    state: str
    report: ZeroReport | None = None


@dataclass
class DayTotal:
    """A day's column total: n reported (late ones included) of m required."""

    day: date
    required: int = 0
    reported: int = 0
    late: int = 0
    zero: int = 0
    missing: int = 0
    pending: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.reported / self.required, 1) if self.required else None


@dataclass
class SchoolRow:
    school: OrgUnit
    cells: list[Cell]

    def count(self, *states: str) -> int:
        return sum(1 for cell in self.cells if cell.state in states)


@dataclass
class Completeness:
    """The daily completeness table of a window over some days, for some schools."""

    window: ZeroReportWindow
    days: list[date]
    rows: list[SchoolRow] = field(default_factory=list)
    totals: list[DayTotal] = field(default_factory=list)

    def summary(self) -> dict:
        """Totals over every day and school of the table (school-days)."""
        keys = ("required", "reported", "late", "zero", "missing", "pending")
        result = {key: sum(getattr(total, key) for total in self.totals) for key in keys}
        result["on_time"] = result["reported"] - result["late"]
        result["percent"] = (
            round(100 * result["reported"] / result["required"], 1) if result["required"] else None
        )
        result["schools"] = len(self.rows)
        result["days"] = len(self.days)
        return result


def window_days(window: ZeroReportWindow, today: date) -> list[date]:
    """Every day of the window from its start up to its last required day as of today."""
    return list(rules.days_between(window.starts_on, rules.last_day(window, today, tenant_timezone())))


def window_schools(window: ZeroReportWindow, paths: list[str]) -> list[OrgUnit]:
    """The schools in the window's target and inside the given subtrees, in tree order (one query)."""
    targets = rules.target_paths(window)
    query = select(OrgUnit).where(
        subtree_filter(OrgUnit.path, paths),
        OrgUnit.is_active,
        OrgUnit.kind.not_in([*NOT_SCHOOLS, "grade_group"]),
    )
    if targets is not None:
        query = query.where(subtree_filter(OrgUnit.path, targets))
    schools = [unit for unit in db.session.scalars(query.options(selectinload(OrgUnit.parent)))]
    # Grouped by central school (directly-run schools by their own code), then by code.
    return sorted(
        (unit for unit in schools if rules.reports_daily(unit)),
        key=lambda unit: (
            unit.parent.code if unit.level == 3 and unit.parent else unit.code,
            unit.level,
            unit.code,
        ),
    )


def completeness(
    window: ZeroReportWindow,
    unit: OrgUnit | None,
    days: list[date],
    now: datetime | None = None,
    *,
    paths: list[str] | None = None,
) -> Completeness:
    """Return the window's table for the schools under `unit` (or the given subtree paths) on `days`.

    A cell is reported / zero / late when the school reported that day, missing when it was
    required and the deadline passed without a report, pending before the deadline, and
    not_required outside the school's required days (rules.py). A day's total counts n
    reported of m required (a report counts even where the school was not required).
    """
    now = now or utcnow()
    tz = tenant_timezone()
    today = now.astimezone(tz).date()
    if paths is None:
        paths = [unit.path] if unit is not None else ["/"]
    schools = window_schools(window, paths)
    table = Completeness(window, list(days))
    if not days or not schools:
        table.totals = [DayTotal(day) for day in days]
        return table
    found = db.session.scalars(
        select(ZeroReport).where(
            ZeroReport.window_id == window.id,
            ZeroReport.org_unit_id.in_([school.id for school in schools]),
            ZeroReport.day.between(min(days), max(days)),
        )
    )
    reports = {(report.org_unit_id, report.day): report for report in found}
    totals = {day: DayTotal(day) for day in days}
    dues = {day: rules.due_at(window, day, tz) for day in days}
    for school in schools:
        first, last = rules.required_days(window, school, today, tz)
        cells = []
        for day in days:
            report = reports.get((school.id, day))
            total = totals[day]
            if report is not None:
                cell = Cell(day, report.state, report)
                total.required += 1
                total.reported += 1
                total.late += report.is_late
                total.zero += report.is_zero
            elif first <= day <= last:
                cell = Cell(day, "missing" if now > dues[day] else "pending")
                total.required += 1
                setattr(total, cell.state, getattr(total, cell.state) + 1)
            else:
                cell = Cell(day, "not_required")
            cells.append(cell)
        table.rows.append(SchoolRow(school, cells))
    table.totals = [totals[day] for day in days]
    return table


def completeness_in_scope(window: ZeroReportWindow, days: list[date], user=None, now=None) -> Completeness:
    """The completeness table limited to the schools in the user's subtrees."""
    return completeness(window, None, days, now, paths=visible_paths(user))


# --- a school's days --------------------------------------------------------------------------------

RECENT_DAYS = 7  # days a school page lists per window (and the flags chase)


@dataclass
class SchoolWindow:
    """A window as one school sees it: its recent days newest first, and whether today is open."""

    window: ZeroReportWindow
    cells: list[Cell]
    today: date

    @property
    def today_cell(self) -> Cell | None:
        return next((cell for cell in self.cells if cell.day == self.today), None)

    @property
    def open_cells(self) -> list[Cell]:
        """Recent required days without a report (missing or pending)."""
        return [cell for cell in self.cells if cell.state in ("missing", "pending")]


def school_windows(school: OrgUnit, now: datetime | None = None) -> list[SchoolWindow]:
    """Windows with required days for the school in the last RECENT_DAYS days (newest window first)."""
    now = now or utcnow()
    tz = tenant_timezone()
    today = now.astimezone(tz).date()
    since = today - timedelta(days=RECENT_DAYS - 1)
    if not rules.reports_daily(school):
        return []
    windows = db.session.scalars(
        windows_covering(school)
        .where(
            ZeroReportWindow.starts_on <= today,
            or_(ZeroReportWindow.ends_on.is_(None), ZeroReportWindow.ends_on >= since),
        )
        .order_by(ZeroReportWindow.starts_on.desc(), ZeroReportWindow.id.desc())
    ).all()
    result = []
    for window in windows:
        first, last = rules.required_days(window, school, today, tz)
        days = [day for day in rules.days_between(max(first, since), last)]
        if not days:
            continue
        table = completeness(window, school, list(reversed(days)), now)
        if table.rows:
            result.append(SchoolWindow(window, table.rows[0].cells, today))
    return result


def school_history(school: OrgUnit) -> Select:
    """Select the school's reports, newest day first."""
    return (
        select(ZeroReport)
        .options(selectinload(ZeroReport.window))
        .where(ZeroReport.org_unit_id == school.id)
        .order_by(ZeroReport.day.desc(), ZeroReport.id.desc())
    )


def visible_reports(user=None) -> Select:
    """Select the reports of every school in the user's subtrees."""
    return select(ZeroReport).where(ZeroReport.org_unit_id.in_(visible_org_ids(user)))


def filter_reports(query: Select, *, window_id=None, school_id=None, day=None) -> Select:
    """Narrow a report query by window, school and day."""
    conditions = []
    if window_id is not None:
        conditions.append(ZeroReport.window_id == window_id)
    if school_id is not None:
        conditions.append(ZeroReport.org_unit_id == school_id)
    if day is not None:
        conditions.append(ZeroReport.day == day)
    return query.where(and_(*conditions)) if conditions else query
