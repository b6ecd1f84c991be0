"""What every rollup figure counts, as SQL over the ledger, the reports and the flags.

A hazard's life is read from its dates, so any month can be reconstructed:
- found on `found_on`; closed (rectified) on `closed_on` = its rectification date once its
  status is rectified or verified (never before it was found);
- overdue from `overdue_from` = the day after its deadline (or the day it was found, if later)
  until it is closed; only days up to today count;
- a major hazard is under supervision (挂牌督办) from when it was found until it is verified.
Stocks (`*_end`) are running sums of +1/−1 events up to the month's end, so the figures of
any set of units add up, and a unit's row is the sum of its subtree's rows.

`hazard_condition(measure, …)` states the same definitions as a WHERE clause, so a
drill-down lists exactly the hazards a number counts.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.sql import ColumnElement, Select

from bureau.flags.models import Flag
from bureau.rollups.models import FLOWS, STOCKS
from bureau.rollups.sql import days_between, flag, later_of, local_month, month_of, next_day, rows_select
from schools.hazards.models import Hazard
from schools.submissions.due import due_at, month_end
from schools.submissions.models import Submission
from schools.units import NOT_SCHOOLS
from tenancy.models import OrgUnit
from tenancy.models.base import UTCDateTime

CLOSED = ("rectified", "verified")
REPORTED = ("submitted", "approved")
# Days-to-rectify buckets (UnitMonth.rect_d*): name → (more than, at most) days.
BUCKETS = {
    "rect_d1": (-1, 1),
    "rect_d3": (1, 3),
    "rect_d7": (3, 7),
    "rect_d14": (7, 14),
    "rect_d30": (14, 30),
    "rect_d60": (30, 60),
    "rect_dmore": (60, None),
}
# Each stock is the running sum of one event column.
DELTAS = {
    "open_end": "d_open",
    "overdue_end": "d_overdue",
    "major_open_end": "d_major",
    "flags_open_end": "d_flags",
}
EVENT_COLUMNS = FLOWS + tuple(DELTAS[name] for name in STOCKS)
NOT_REPORTING = NOT_SCHOOLS + ("grade_group",)
# Constants written into the SQL (a bound parameter each would cost hundreds per statement).
ZERO, ONE, MINUS_ONE = (
    literal_column(text, Integer) for text in ("0", "1", "-1")
)  # grade groups report through their school


@dataclass(frozen=True)
class Scope:
    """Whose figures: the tenant, which units' own records (None: all), which hazards, as of when."""

    tenant_id: int
    today: date  # the tenant's local date
    now: datetime  # aware, for report due times
    zone: str  # the tenant's time zone name
    offset_minutes: int  # its UTC offset now (SQLite only)
    units: Select | list[int] | None = None
    category: str | None = None
    level: str | None = None


def closed_on() -> ColumnElement:
    """The day a hazard stopped being open, or NULL while it is open."""
    rectified = func.coalesce(Hazard.rectified_on, Hazard.verified_on, Hazard.found_on)
    return case((Hazard.status.in_(CLOSED), later_of(rectified, Hazard.found_on)), else_=None)


def verified_on() -> ColumnElement:
    """The day a hazard was closed after re-check (销号), or NULL."""
    verified = func.coalesce(Hazard.verified_on, Hazard.rectified_on, Hazard.found_on)
    return case((Hazard.status == "verified", later_of(verified, Hazard.found_on)), else_=None)


def overdue_from() -> ColumnElement:
    """The first day a hazard counts as overdue if still open (NULL without a deadline)."""
    return case(
        (Hazard.deadline.isnot(None), later_of(next_day(Hazard.deadline), Hazard.found_on)), else_=None
    )


def _enters_overdue(today: date) -> ColumnElement:
    start, end = overdue_from(), closed_on()
    return and_(start.isnot(None), start <= today, or_(end.is_(None), start < end))


def _events(columns: dict[str, ColumnElement], unit: ColumnElement, period: ColumnElement) -> list:
    """One event row: the unit, the month, the given columns and zero for every other one."""
    return [unit.label("u"), period.label("p")] + [
        columns.get(name, ZERO).label(name) for name in EVENT_COLUMNS
    ]


def _hazard_where(scope: Scope) -> list[ColumnElement]:
    where = [Hazard.tenant_id == scope.tenant_id]
    if scope.units is not None:
        where.append(Hazard.org_unit_id.in_(scope.units))
    if scope.category:
        where.append(Hazard.category == scope.category)
    if scope.level:
        where.append(Hazard.level == scope.level)
    return where


def hazard_events(scope: Scope) -> list[Select]:
    """The +1/−1 events of the hazards in scope, one SELECT per kind of event."""
    where = _hazard_where(scope)
    closed, verified, start = closed_on(), verified_on(), overdue_from()
    major = flag(Hazard.level == "major")
    days = days_between(Hazard.found_on, closed)
    buckets = {
        name: flag(and_(days > low, days <= high) if high is not None else days > low)
        for name, (low, high) in BUCKETS.items()
    }
    enters = _enters_overdue(scope.today)
    return [
        select(
            *_events(
                {
                    "found": ONE,
                    "found_serious": flag(Hazard.level == "serious"),
                    "found_major": major,
                    "found_closed": flag(Hazard.status.in_(CLOSED)),
                    "d_open": ONE,
                    "d_major": major,
                },
                Hazard.org_unit_id,
                month_of(Hazard.found_on),
            )
        ).where(*where),
        select(
            *_events(
                {
                    "rectified": ONE,
                    "rectified_on_time": flag(or_(Hazard.deadline.is_(None), closed <= Hazard.deadline)),
                    "rect_days": days,
                    **buckets,
                    "d_open": MINUS_ONE,
                },
                Hazard.org_unit_id,
                month_of(closed),
            )
        ).where(*where, Hazard.status.in_(CLOSED)),
        select(
            *_events(
                {"verified": ONE, "verified_major": major, "d_major": -major},
                Hazard.org_unit_id,
                month_of(verified),
            )
        ).where(*where, Hazard.status == "verified"),
        select(
            *_events({"became_overdue": ONE, "d_overdue": ONE}, Hazard.org_unit_id, month_of(start))
        ).where(*where, enters),
        select(*_events({"d_overdue": MINUS_ONE}, Hazard.org_unit_id, month_of(closed))).where(
            *where, enters, closed.isnot(None)
        ),
    ]


def report_events(scope: Scope, months: list[date]) -> list[Select]:
    """One event per school and month whose report is due by now: on time, late or missing.

    A school owes a report for every month from the month it was put on the platform; grade
    groups report through their school. A month counts once its due time has passed; the
    first version's submission time decides on time or late, and a month without a version
    that stands (submitted or approved) is missing.
    """
    due = [(month, due_at(month)) for month in months]
    due = [(month, when) for month, when in due if when <= scope.now]
    if not due:
        return []
    periods = rows_select("due_months", {"p": Date(), "due": UTCDateTime()}, due)
    units = [
        OrgUnit.tenant_id == scope.tenant_id,
        OrgUnit.is_active,
        OrgUnit.kind.notin_(NOT_REPORTING),
    ]
    reported = [Submission.tenant_id == scope.tenant_id, Submission.period >= due[0][0]]
    if scope.units is not None:
        units.append(OrgUnit.id.in_(scope.units))
        reported.append(Submission.org_unit_id.in_(scope.units))
    expected = (
        select(OrgUnit.id.label("u"), periods.c.p, periods.c.due)
        .join(periods, periods.c.p >= local_month(OrgUnit.created_at, scope.zone, scope.offset_minutes))
        .where(*units)
        .subquery("expected")
    )
    submitted = (
        select(
            Submission.org_unit_id.label("u"),
            Submission.period.label("p"),
            func.min(Submission.submitted_at).label("first_at"),
            func.max(flag(Submission.status.in_(REPORTED))).label("stands"),
        )
        .where(*reported)
        .group_by(Submission.org_unit_id, Submission.period)
        .subquery("submitted")
    )
    stands = func.coalesce(submitted.c.stands, 0) == 1
    return [
        select(
            *_events(
                {
                    "reports_due": ONE,
                    "reports_on_time": flag(and_(stands, submitted.c.first_at <= expected.c.due)),
                    "reports_late": flag(and_(stands, submitted.c.first_at > expected.c.due)),
                    "reports_missing": flag(~stands),
                },
                expected.c.u,
                expected.c.p,
            )
        ).select_from(
            expected.outerjoin(submitted, and_(submitted.c.u == expected.c.u, submitted.c.p == expected.c.p))
        )
    ]


def flag_events(scope: Scope) -> list[Select]:
    """Flags raised and cleared, in the local month they were raised or cleared."""
    where = [Flag.tenant_id == scope.tenant_id]
    if scope.units is not None:
        where.append(Flag.org_unit_id.in_(scope.units))

    def month(stamp):
        return local_month(stamp, scope.zone, scope.offset_minutes)

    return [
        select(
            *_events({"flags_raised": ONE, "d_flags": ONE}, Flag.org_unit_id, month(Flag.raised_at))
        ).where(*where),
        select(
            *_events(
                {"flags_cleared": ONE, "d_flags": MINUS_ONE},
                Flag.org_unit_id,
                month(Flag.cleared_at),
            )
        ).where(*where, Flag.cleared_at.isnot(None)),
    ]


def own_rows(scope: Scope, months: list[date]) -> Select:
    """Every figure of each unit's own records per month, `months` being every month to cover.

    Rows whose figures are all zero are left out; stocks run on through months without events.
    """
    events = hazard_events(scope) + report_events(scope, months) + flag_events(scope)
    stream = union_all(*events).subquery("events")
    flows = (
        select(stream.c.u, stream.c.p, *(func.sum(stream.c[name]).label(name) for name in EVENT_COLUMNS))
        .group_by(stream.c.u, stream.c.p)
        .cte("flows")  # read twice (firsts, dense): as a CTE it is computed once
    )
    firsts = select(flows.c.u, func.min(flows.c.p).label("first")).group_by(flows.c.u).subquery("firsts")
    calendar = rows_select("calendar", {"p": Date()}, [(month,) for month in months])
    running = {"partition_by": firsts.c.u, "order_by": calendar.c.p}
    dense = (
        select(
            firsts.c.u,
            calendar.c.p,
            *(cast(func.coalesce(flows.c[name], 0), Integer).label(name) for name in FLOWS),
            *(  # running sums of sums are NUMERIC on PostgreSQL: back to integers
                cast(func.sum(func.coalesce(flows.c[DELTAS[name]], 0)).over(**running), Integer).label(name)
                for name in STOCKS
            ),
        )
        .select_from(firsts)
        .join(calendar, calendar.c.p >= firsts.c.first)
        .outerjoin(flows, and_(flows.c.u == firsts.c.u, flows.c.p == calendar.c.p))
        .subquery("dense")
    )
    figures = FLOWS + STOCKS
    return select(dense.c.u, dense.c.p, *(dense.c[name] for name in figures)).where(
        or_(*(dense.c[name] != 0 for name in figures))
    )


def category_rows(scope: Scope, level2: ColumnElement) -> Select:
    """Category detail per level-2 unit (given as an expression over the hazard's OrgUnit) and month."""
    where = _hazard_where(scope)
    closed = closed_on()
    parts = [
        select(
            level2.label("u"),
            month_of(Hazard.found_on).label("p"),
            Hazard.category.label("category"),
            ONE.label("found"),
            flag(Hazard.level == "major").label("found_major"),
            ZERO.label("rectified"),
            ZERO.label("rectified_on_time"),
            ZERO.label("became_overdue"),
        ),
        select(
            level2.label("u"),
            month_of(closed).label("p"),
            Hazard.category.label("category"),
            ZERO,
            ZERO,
            ONE,
            flag(or_(Hazard.deadline.is_(None), closed <= Hazard.deadline)),
            ZERO,
        ).where(Hazard.status.in_(CLOSED)),
        select(
            level2.label("u"),
            month_of(overdue_from()).label("p"),
            Hazard.category.label("category"),
            ZERO,
            ZERO,
            ZERO,
            ZERO,
            ONE,
        ).where(_enters_overdue(scope.today)),
    ]
    parts = [
        part.select_from(Hazard).join(OrgUnit, OrgUnit.id == Hazard.org_unit_id).where(*where)
        for part in parts
    ]
    stream = union_all(*parts).subquery("events")
    names = ("found", "found_major", "rectified", "rectified_on_time", "became_overdue")
    return select(
        stream.c.u, stream.c.p, stream.c.category, *(func.sum(stream.c[name]).label(name) for name in names)
    ).group_by(stream.c.u, stream.c.p, stream.c.category)


HAZARD_MEASURES = (
    "found",
    "found_serious",
    "found_major",
    "found_closed",
    "rectified",
    "rectified_on_time",
    "rectified_late",
    "verified",
    "verified_major",
    "became_overdue",
    "open_end",
    "overdue_end",
    "major_open_end",
)


def hazard_condition(measure: str, first: date, last: date, today: date) -> ColumnElement:
    """The hazards a figure counts: flows over the months first..last, stocks at the end of `last`."""
    start, end = first, month_end(last)
    closed, verified = closed_on(), verified_on()
    within = {
        "found": Hazard.found_on,
        "found_serious": Hazard.found_on,
        "found_major": Hazard.found_on,
        "found_closed": Hazard.found_on,
        "rectified": closed,
        "rectified_on_time": closed,
        "rectified_late": closed,
        "verified": verified,
        "verified_major": verified,
        "became_overdue": overdue_from(),
    }
    extra = {
        "found_serious": Hazard.level == "serious",
        "found_major": Hazard.level == "major",
        "found_closed": Hazard.status.in_(CLOSED),
        "rectified_on_time": or_(Hazard.deadline.is_(None), closed <= Hazard.deadline),
        "rectified_late": and_(Hazard.deadline.isnot(None), closed > Hazard.deadline),
        "verified_major": Hazard.level == "major",
        "became_overdue": _enters_overdue(today),
    }
    if measure in within:
        return and_(within[measure].between(start, end), extra.get(measure, true()))
    still_open = or_(closed.is_(None), closed > end)
    if measure == "open_end":
        return and_(Hazard.found_on <= end, still_open)
    if measure == "overdue_end":
        start_overdue = overdue_from()
        return and_(start_overdue.isnot(None), start_overdue <= min(end, today), still_open)
    if measure == "major_open_end":
        return and_(Hazard.level == "major", Hazard.found_on <= end, or_(verified.is_(None), verified > end))
    raise ValueError(f"unknown hazard measure {measure!r}")
