"""Which flags each school should have open right now, computed from the data.

`expected_flags(units, now)` answers {unit id: {(kind, subject): details}} for a batch of
units with four set-based queries however many units and hazards there are (one for
reports, one for hazards, one for grid cells, one for notices). Nothing is written here:
operations.py compares the answer with the flags that are open.

The rules, each evaluated at `now` in the tenant's time zone:
- report_overdue (信息报送不及时): a month whose report was due (day `report_due_day` of the next
  month, 23:59:59 local: schools.submissions.due) and has no version submitted or approved. A
  returned report that was not resubmitted counts as missing; a late submission clears the
  flag (lateness shows on the report itself). Months are checked from the later of the
  school's creation month and twelve months before the current month, so a school added
  today is not flagged for months before it was on the platform, and a year-old gap stops
  being flagged (the annual assessment keeps the record). Grade groups report through their
  school and are not flagged.
- hazard_overdue: every hazard past its rectification deadline and not yet rectified
  (schools.hazards.queries.overdue_condition with the local date).
- major_unverified (挂牌督办): every major hazard not yet verified.
- grid_blind_spot (监管盲区): every grid cell open today with no primary owner today.
- notice_unanswered: every rectification notice to the school that still waits for an answer
  (issued, or its answer was rejected) after its deadline day has passed.
Closed (inactive) units and units that keep no records (bureau, central schools) have none.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select

from bureau.flags.models import FLAG_KINDS
from bureau.notices import models as notice_models
from schools.drills.flags import drill_flags
from schools.duty.flags import duty_flags
from schools.grid.models import CellOwnership, GridCell
from schools.grid.queries import cell_exists_on, period_covers
from schools.hazards.models import Hazard
from schools.hazards.queries import overdue_condition
from schools.incidents.flags import incident_flags
from schools.submissions.due import add_months, due_at
from schools.submissions.models import Submission
from schools.submissions.operations import reports_upward
from schools.units import keeps_records
from schools.zeroreports.flags import zero_report_flags
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_timezone

COMPUTED_KINDS = FLAG_KINDS
# The rules of the other safety work, each in its feature: rule(units, now, today, result).
FEATURE_RULES = (drill_flags, incident_flags, duty_flags, zero_report_flags)
REPORT_MONTHS = 12  # how far back a missing monthly report stays flagged
REPORTED = ("submitted", "approved")  # a month with a version in one of these has its report
AWAITING_ANSWER = getattr(notice_models, "AWAITING_ANSWER", ("issued", "rejected"))
TEXT_MAX = 80  # characters of a description or title kept in a flag's details
CHUNK = 500  # units per IN (...) list

Key = tuple[str, str]
Expected = dict[int, dict[Key, dict[str, Any]]]


def month_start(day: date) -> date:
    """Return the first day of the month of `day`."""
    return day.replace(day=1)


def flag_units(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """Return the units that can have flags: active units that keep safety records."""
    return [unit for unit in units if unit.is_active and keeps_records(unit)]


def expected_flags(units: Iterable[OrgUnit], now: datetime) -> Expected:
    """Return, per unit, the flags that should be open at `now` (an aware datetime)."""
    units = list(units)
    result: Expected = {unit.id: {} for unit in units}
    flagged = flag_units(units)
    if not flagged:
        return result
    tz = tenant_timezone()
    today = now.astimezone(tz).date()
    for start in range(0, len(flagged), CHUNK):
        chunk = flagged[start : start + CHUNK]
        _reports(chunk, now, today, result)
        _hazards(chunk, today, result)
        _blind_spots(chunk, today, result)
        _notices(chunk, today, result)
        for rule in FEATURE_RULES:
            rule(chunk, now, today, result)
    return result


def short_text(text: str | None) -> str:
    """Return text on one line, cut to TEXT_MAX characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _reports(units: list[OrgUnit], now: datetime, today: date, result: Expected) -> None:
    tz = tenant_timezone()
    current = month_start(today)
    first = {
        unit.id: max(add_months(current, -REPORT_MONTHS), month_start(unit.created_at.astimezone(tz).date()))
        for unit in units
        if reports_upward(unit)
    }
    if not first:
        return
    earliest = min(first.values())
    reported: set[tuple[int, date]] = set()
    returned: set[tuple[int, date]] = set()
    rows = db.session.execute(
        select(Submission.org_unit_id, Submission.period, Submission.status)
        .where(
            Submission.org_unit_id.in_(list(first)),
            Submission.period >= earliest,
            Submission.period < current,
        )
        .distinct()
    )
    for unit_id, period, status in rows:
        (reported if status in REPORTED else returned).add((unit_id, period))
    due_cache: dict[date, datetime] = {}
    for unit_id, period in ((u, p) for u, start in first.items() for p in _months(start, current)):
        if (unit_id, period) in reported:
            continue
        if period not in due_cache:
            due_cache[period] = due_at(period)
        due = due_cache[period]
        if now <= due:
            continue
        result[unit_id][("report_overdue", f"period:{period:%Y-%m}")] = {
            "period": f"{period:%Y-%m}",
            "due_at": due.isoformat(),
            "returned": (unit_id, period) in returned,
        }


def _months(start: date, stop: date) -> Iterable[date]:
    """Yield the first days of the months from `start` up to, not including, `stop`."""
    period = start
    while period < stop:
        yield period
        period = add_months(period, 1)


def _hazards(units: list[OrgUnit], today: date, result: Expected) -> None:
    overdue = overdue_condition(today)
    major = and_(Hazard.level == "major", Hazard.status != "verified")
    rows = db.session.execute(
        select(
            Hazard.id,
            Hazard.org_unit_id,
            Hazard.seq,
            Hazard.description,
            Hazard.category,
            Hazard.level,
            Hazard.status,
            Hazard.found_on,
            Hazard.deadline,
            overdue.label("is_overdue"),
            major.label("is_major"),
        ).where(Hazard.org_unit_id.in_([unit.id for unit in units]), or_(overdue, major))
    )
    for row in rows:
        details = {
            "hazard_id": row.id,
            "seq": row.seq,
            "description": short_text(row.description),
            "category": row.category,
            "level": row.level,
            "status": row.status,
            "found_on": row.found_on.isoformat(),
            "deadline": row.deadline.isoformat() if row.deadline else None,
        }
        if row.is_overdue:
            result[row.org_unit_id][("hazard_overdue", f"hazard:{row.id}")] = details
        if row.is_major:
            result[row.org_unit_id][("major_unverified", f"hazard:{row.id}")] = details


def _blind_spots(units: list[OrgUnit], today: date, result: Expected) -> None:
    owned = exists().where(
        CellOwnership.grid_cell_id == GridCell.id, CellOwnership.is_primary, period_covers(today)
    )
    rows = db.session.execute(
        select(GridCell.id, GridCell.org_unit_id, GridCell.name, GridCell.kind, GridCell.is_key_area).where(
            GridCell.org_unit_id.in_([unit.id for unit in units]), cell_exists_on(today), ~owned
        )
    )
    for row in rows:
        result[row.org_unit_id][("grid_blind_spot", f"cell:{row.id}")] = {
            "cell_id": row.id,
            "name": row.name,
            "kind": row.kind,
            "is_key_area": bool(row.is_key_area),
        }


def _notices(units: list[OrgUnit], today: date, result: Expected) -> None:
    Notice = notice_models.Notice
    rows = db.session.execute(
        select(
            Notice.id,
            Notice.org_unit_id,
            Notice.year,
            Notice.number,
            Notice.title,
            Notice.deadline,
            Notice.status,
        ).where(
            Notice.org_unit_id.in_([unit.id for unit in units]),
            Notice.status.in_(AWAITING_ANSWER),
            Notice.deadline < today,
        )
    )
    for row in rows:
        result[row.org_unit_id][("notice_unanswered", f"notice:{row.id}")] = {
            "notice_id": row.id,
            "label": f"〔{row.year}〕第{row.number}号",
            "title": short_text(row.title),
            "deadline": row.deadline.isoformat(),
            "status": row.status,
        }
