"""Writes to the duty roster: one day (create, replace or clear), a month form, copy last week.

Rules (never commits; the view or API commits once):
- rosters belong to schools: record-keeping units except grade groups (a grade group is on duty
  with its school); a closed school's roster cannot change;
- a day holds the duty person and the leader on duty, each with an optional phone (digits,
  spaces, +, - and brackets, as for grid staff); a phone needs the name beside it;
- saving a day with nothing in it (no names, phones or note, not a holiday) clears the day;
- the month form is validated as a whole: one bad row and nothing is written; every message names
  its day;
- "copy last week" fills the days of a week that have nothing entered from the same weekday of
  the week before, and never overwrites;
- every change is audited (duty_day.create / update / delete) and asks the flags job to recompute
  the school's duty_gap flags.
"""

from dataclasses import dataclass, fields
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from schools.duty.models import NAME_MAX, NOTE_MAX, PHONE_MAX, DutyDay
from schools.grid.operations import PHONE
from schools.units import keeps_records, refresh_flags_later
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit

DAY_MIN, DAY_MAX = date(2000, 1, 1), date(2100, 12, 31)


class DutyError(ValueError):
    """A roster change that breaks a rule; `field` names the culprit, `status` the HTTP answer."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RosterError(DutyError):
    """Rows of a month form that break the rules: {day ISO: {field: message}}; nothing was written."""

    def __init__(self, problems: dict[str, dict[str, str]]) -> None:
        day = min(problems)
        field, message = next(iter(problems[day].items()))
        super().__init__(message, f"{day}.{field}")
        self.problems = problems


@dataclass
class DayInput:
    """One day of the roster as entered."""

    day: date
    duty_person: str = ""
    duty_phone: str = ""
    leader: str = ""
    leader_phone: str = ""
    is_holiday: bool = False
    note: str = ""

    @property
    def is_blank(self) -> bool:
        return not (
            self.duty_person or self.duty_phone or self.leader or self.leader_phone or self.note
        ) and (not self.is_holiday)


VALUE_FIELDS = [f.name for f in fields(DayInput) if f.name != "day"]


def keeps_roster(unit: OrgUnit) -> bool:
    """Schools, kindergartens, teaching points and directly-run schools keep a roster; grade groups do not."""
    return keeps_records(unit) and unit.kind != "grade_group"


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def clean(values: DayInput) -> tuple[DayInput, dict[str, str]]:
    """Return the day with its text trimmed, and {field: message} for what breaks the rules."""
    problems: dict[str, str] = {}
    if not isinstance(values.day, date) or not DAY_MIN <= values.day <= DAY_MAX:
        return values, {"day": _("Give the day as YYYY-MM-DD.")}
    day = values.day.isoformat()
    clean_values = DayInput(
        day=values.day,
        duty_person=_one_line(values.duty_person),
        duty_phone=_one_line(values.duty_phone),
        leader=_one_line(values.leader),
        leader_phone=_one_line(values.leader_phone),
        is_holiday=bool(values.is_holiday),
        note=str(values.note or "").strip(),
    )
    for name_field, phone_field in (("duty_person", "duty_phone"), ("leader", "leader_phone")):
        name, phone = getattr(clean_values, name_field), getattr(clean_values, phone_field)
        if len(name) > NAME_MAX:
            problems[name_field] = _("%(day)s: at most %(n)d characters.", day=day, n=NAME_MAX)
        if phone and (len(phone) > PHONE_MAX or not PHONE.match(phone)):
            problems[phone_field] = _(
                "%(day)s: %(value)s is not a phone number (digits, spaces, + and - only).",
                day=day,
                value=phone,
            )
        elif phone and not name:
            problems[phone_field] = _("%(day)s: a phone number needs the name beside it.", day=day)
    if len(clean_values.note) > NOTE_MAX:
        problems["note"] = _("%(day)s: at most %(n)d characters.", day=day, n=NOTE_MAX)
    return clean_values, problems


def _check_school(school: OrgUnit) -> None:
    if not keeps_roster(school):
        raise DutyError(_("Grade groups are on duty with their school."), "school_id")
    if not school.is_active:
        raise DutyError(_("%(unit)s is closed; its roster cannot change.", unit=school.name), "school_id")


def _existing(school: OrgUnit, days: list[date]) -> dict[date, DutyDay]:
    if not days:
        return {}
    rows = db.session.scalars(select(DutyDay).where(DutyDay.org_unit_id == school.id, DutyDay.day.in_(days)))
    return {row.day: row for row in rows}


def _apply(school: OrgUnit, values: DayInput, row: DutyDay | None, user) -> tuple[DutyDay | None, bool]:
    """Write one clean day; return (the row or None when cleared, whether anything changed)."""
    summary = f"{school.code} {values.day.isoformat()}"
    if values.is_blank:
        if row is None:
            return None, False
        audit.record("duty_day.delete", row, changes=_removed(row), summary=summary)
        db.session.delete(row)
        return None, True
    created = row is None
    if created:
        row = DutyDay(tenant_id=school.tenant_id, org_unit_id=school.id, day=values.day)
        db.session.add(row)
    for name in VALUE_FIELDS:
        setattr(row, name, getattr(values, name))
    changes = audit.pending_changes(row)
    if not created and not changes:
        return row, False
    row.updated_by_id = getattr(user, "id", None)
    audit.record("duty_day.create" if created else "duty_day.update", row, changes=changes, summary=summary)
    return row, True


def _removed(row: DutyDay) -> dict:
    return {name: {"before": audit.plain(getattr(row, name)), "after": None} for name in VALUE_FIELDS}


def save_day(school: OrgUnit, values: DayInput, user=None) -> tuple[DutyDay | None, bool]:
    """Create, replace or clear one day of the school's roster; return (row or None, created)."""
    _check_school(school)
    values, problems = clean(values)
    if problems:
        field, message = next(iter(problems.items()))
        raise DutyError(message, field)
    existing = _existing(school, [values.day]).get(values.day)
    row, changed = _apply(school, values, existing, user)
    if changed:
        db.session.flush()
        refresh_flags_later(school.id)
    return row, existing is None and row is not None


def save_days(school: OrgUnit, days: list[DayInput], user=None) -> int:
    """Save many days at once (the month form); nothing is written when any row is wrong."""
    _check_school(school)
    cleaned, problems = [], {}
    for values in days:
        value, row_problems = clean(values)
        if row_problems:
            key = values.day.isoformat() if isinstance(values.day, date) else str(values.day)
            problems[key] = row_problems
        cleaned.append(value)
    if problems:
        raise RosterError(problems)
    existing = _existing(school, [values.day for values in cleaned])
    changed = sum(_apply(school, values, existing.get(values.day), user)[1] for values in cleaned)
    if changed:
        db.session.flush()
        refresh_flags_later(school.id)
    return changed


def copy_week(school: OrgUnit, week_start: date, user=None) -> int:
    """Fill the empty days of the week starting `week_start` from the week before; return how many."""
    _check_school(school)
    days = [week_start + timedelta(days=n) for n in range(7)]
    before = _existing(school, [day - timedelta(days=7) for day in days])
    target = _existing(school, days)
    filled = []
    for day in days:
        source = before.get(day - timedelta(days=7))
        if day in target or source is None:
            continue
        filled.append(
            DayInput(
                day=day,
                duty_person=source.duty_person,
                duty_phone=source.duty_phone,
                leader=source.leader,
                leader_phone=source.leader_phone,
            )
        )
    return save_days(school, filled, user) if filled else 0
