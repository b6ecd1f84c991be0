"""Reads of the duty roster: a day, a month, the gaps of the coming week, today across a subtree.

The gap window is today and the GAP_DAYS (7) days after it, in the tenant's time zone: eight
days. A day in it without a duty person or without a leader on duty is a gap, holidays included
(holidays still need duty). A school that never entered a roster has a gap on every day of the
window. Only active schools that keep a roster count (grade groups are on duty with their school).
"""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, select

from schools.duty.models import DutyDay
from schools.duty.operations import keeps_roster
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import subtree_filter, visible_org_ids, visible_paths

GAP_DAYS = 7  # days after today that must already be covered


def duty_on(school: OrgUnit, day: date) -> DutyDay | None:
    """Return who is on duty at the school on `day` (None when nothing was entered)."""
    return db.session.scalar(select(DutyDay).where(DutyDay.org_unit_id == school.id, DutyDay.day == day))


def month_days(school: OrgUnit, first: date) -> list[tuple[date, DutyDay | None]]:
    """Return every day of the month starting `first` with its roster row (or None)."""
    last = first.replace(day=monthrange(first.year, first.month)[1])
    rows = {
        row.day: row
        for row in db.session.scalars(
            select(DutyDay).where(DutyDay.org_unit_id == school.id, DutyDay.day >= first, DutyDay.day <= last)
        )
    }
    return [(day, rows.get(day)) for day in (first + timedelta(days=n) for n in range(last.day))]


def window(today: date) -> list[date]:
    """The days that must be covered: today and the GAP_DAYS days after it."""
    return [today + timedelta(days=n) for n in range(GAP_DAYS + 1)]


def duty_gaps(units: Iterable[OrgUnit], today: date) -> dict[int, list[tuple[date, list[str]]]]:
    """Return, per active roster-keeping unit with gaps, its uncovered days: (day, ["person"/"leader"])."""
    schools = [unit for unit in units if unit.is_active and keeps_roster(unit)]
    if not schools:
        return {}
    days = window(today)
    found: dict[tuple[int, date], list[str]] = {}
    rows = db.session.execute(
        select(DutyDay.org_unit_id, DutyDay.day, DutyDay.duty_person, DutyDay.leader).where(
            DutyDay.org_unit_id.in_([unit.id for unit in schools]),
            DutyDay.day >= days[0],
            DutyDay.day <= days[-1],
        )
    )
    for unit_id, day, person, leader in rows:
        found[(unit_id, day)] = [
            name for name, value in (("person", person), ("leader", leader)) if not value
        ]
    gaps: dict[int, list[tuple[date, list[str]]]] = {}
    for unit in schools:
        missing = [(day, found.get((unit.id, day), ["person", "leader"])) for day in days]
        missing = [(day, names) for day, names in missing if names]
        if missing:
            gaps[unit.id] = missing
    return gaps


def visible_duty_days(user=None) -> Select:
    """Select the roster rows of every school in the user's subtrees."""
    return select(DutyDay).where(DutyDay.org_unit_id.in_(visible_org_ids(user)))


def filter_duty_days(
    query: Select, *, school_id: int | None = None, start: date | None = None, end: date | None = None
) -> Select:
    """Narrow a roster query by school and by an inclusive range of days."""
    if school_id is not None:
        query = query.where(DutyDay.org_unit_id == school_id)
    if start is not None:
        query = query.where(DutyDay.day >= start)
    if end is not None:
        query = query.where(DutyDay.day <= end)
    return query


@dataclass
class TodayRow:
    """One school on the "on duty today" board."""

    school: OrgUnit
    duty: DutyDay | None
    gap_days: list[tuple[date, list[str]]]

    @property
    def missing_today(self) -> list[str]:
        return self.duty.missing if self.duty else ["person", "leader"]


def today_board(today: date, user=None) -> list[TodayRow]:
    """Return today's duty of every active roster-keeping school in the user's subtrees, in tree order."""
    units = [
        unit
        for unit in db.session.scalars(
            select(OrgUnit)
            .where(subtree_filter(OrgUnit.path, visible_paths(user)), OrgUnit.is_active)
            .order_by(OrgUnit.path)
        )
        if keeps_roster(unit)
    ]
    duties = {
        row.org_unit_id: row
        for row in db.session.scalars(
            select(DutyDay).where(DutyDay.org_unit_id.in_([unit.id for unit in units]), DutyDay.day == today)
        )
    }
    gaps = duty_gaps(units, today)
    return [TodayRow(unit, duties.get(unit.id), gaps.get(unit.id, [])) for unit in units]
