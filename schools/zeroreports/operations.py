"""Writes of zero-reports: open a window, change its end, switch it off, submit a day. Never commits.

Rules (what the issue leaves open; the day rules are in rules.py):
- Only the bureau opens, changes and switches off windows (`zeroreport.manage`: bureau admin and
  staff); a central reviewer sees the windows of its schools but cannot change them.
- A window starts today or later (the past is not made retroactively due) and lasts at most
  MAX_DAYS days when it has an end; it counts 1 to MAX_ITEMS named whole-number items.
- The target is the whole tenant (no units given) or chosen central schools / schools; a chosen
  central school covers all its schools, a chosen school inside a chosen central school is
  dropped as redundant, grade groups, closed units and the bureau itself cannot be chosen.
- The end date can be changed (or removed: open-ended) while the window is active and not over;
  the new end is today or later and not before the start. A window over or switched off is
  not reopened: open a new one.
- Switching off ends the window today (today is still required, the days after are not) and
  stops the chasing: a switched-off window raises no more flags, so its open flags clear.
  Its missing days stay missing in the completeness table, and late reports are still taken.
- A school reports a day it is required for (rules.py), never a future day; a day's report
  made after the deadline is accepted and marked late. Reporting the same day again corrects
  the report (values and note change, audited as a correction with the before/after values);
  that is allowed before and after the deadline, and lateness stays as the first report
  made it (an on-time report corrected later stays on time, a late one stays late).
- Item values are whole numbers from 0 to MAX_VALUE; an item not given counts as 0 (so an
  empty set of values is a zero report); an unknown item name is refused, naming it.
Every write is audited and asks the flags job to recompute the schools concerned.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from schools.units import refresh_flags_later
from schools.zeroreports import rules
from schools.zeroreports.models import ZeroReport, ZeroReportTarget, ZeroReportWindow
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.scoping import tenant_root
from tenancy.settings.store import tenant_timezone

TITLE_MAX = 120
NOTE_MAX = 500
ITEM_MAX = 30
MAX_ITEMS = 10
MAX_DAYS = 366
MAX_VALUE = 1_000_000
MAX_LEAD_DAYS = 90  # how far ahead a window may be planned
INTEGER = re.compile(r"^\d+$")


class ZeroReportError(ValueError):
    """A change that breaks a rule; `field` names the culprit (and `item` the counted item)."""

    status = 400

    def __init__(self, message: str, field: str | None = None, item: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.item = item


class ZeroReportConflict(ZeroReportError):
    """The window's state does not allow the change."""

    status = 409


def _now(now: datetime | None) -> datetime:
    return (now or utcnow()).replace(microsecond=0)  # to the second: see rules.py


def _today(now: datetime) -> date:
    return now.astimezone(tenant_timezone()).date()


# --- windows -----------------------------------------------------------------------------------


def parse_items(raw: str | Iterable[str] | None) -> list[str]:
    """Read the counted items (a list, or text with one per line); check count, length, duplicates."""
    if raw is None:
        raw = []
    lines = raw.splitlines() if isinstance(raw, str) else list(raw)
    items: list[str] = []
    for line in lines:
        if not isinstance(line, str):
            raise ZeroReportError(_("Each item is a name (text)."), "items")
        name = " ".join(line.split())
        if not name:
            continue
        if len(name) > ITEM_MAX:
            raise ZeroReportError(
                _("“%(item)s”: at most %(n)d characters.", item=name[:ITEM_MAX] + "…", n=ITEM_MAX), "items"
            )
        if name in items:
            raise ZeroReportError(_("“%(item)s” is named twice.", item=name), "items")
        items.append(name)
    if not items:
        raise ZeroReportError(_("Name at least one item to count, for example 因病缺课人数."), "items")
    if len(items) > MAX_ITEMS:
        raise ZeroReportError(_("At most %(n)d items.", n=MAX_ITEMS), "items")
    return items


def _check_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ZeroReportError(_("Give the window a title, for example 防汛期间每日零报告."), "title")
    if len(title) > TITLE_MAX:
        raise ZeroReportError(_("At most %(n)d characters.", n=TITLE_MAX), "title")
    return title


def _check_end(starts_on: date, ends_on: date | None, today: date) -> None:
    if ends_on is None:
        return
    if ends_on < starts_on:
        raise ZeroReportError(_("The end date cannot be before the start date."), "ends_on")
    if ends_on < today:
        raise ZeroReportError(
            _("The end date cannot be in the past; to stop the window now, switch it off."), "ends_on"
        )
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ZeroReportError(_("A window lasts at most %(n)d days.", n=MAX_DAYS), "ends_on")


def normalize_targets(units: list[OrgUnit] | None) -> list[OrgUnit] | None:
    """Check chosen target units and drop those inside another chosen one; None means all schools."""
    if units is None:
        return None
    if not units:
        raise ZeroReportError(
            _("Choose at least one central school or school, or all schools."), "target_unit_ids"
        )
    for unit in units:
        if unit.level == 1:
            return None  # the bureau itself: every school
        if not unit.is_active:
            raise ZeroReportError(_("%(unit)s is closed.", unit=unit.name), "target_unit_ids")
        if unit.kind != "central" and not rules.reports_daily(unit):
            raise ZeroReportError(
                _("%(unit)s cannot be a target: choose central schools or schools.", unit=unit.name),
                "target_unit_ids",
            )
    unique = {unit.id: unit for unit in units}.values()
    return sorted(
        (u for u in unique if not any(o.id != u.id and o.contains(u) for o in unique)), key=lambda u: u.path
    )


def open_window(
    *,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    deadline: time | None,
    items: str | Iterable[str] | None,
    target_units: list[OrgUnit] | None = None,
    note: str = "",
    user=None,
    now: datetime | None = None,
) -> ZeroReportWindow:
    """Switch on a daily report period for all schools (target_units None) or the chosen units."""
    now = _now(now)
    today = _today(now)
    title = _check_title(title)
    if starts_on is None:
        raise ZeroReportError(_("Give the first day."), "starts_on")
    if starts_on < today:
        raise ZeroReportError(_("A window starts today or later."), "starts_on")
    if starts_on > today + timedelta(days=MAX_LEAD_DAYS):
        raise ZeroReportError(_("A window starts within %(n)d days.", n=MAX_LEAD_DAYS), "starts_on")
    _check_end(starts_on, ends_on, today)
    if deadline is None:
        raise ZeroReportError(_("Give the daily deadline, for example 16:00."), "deadline")
    items = parse_items(items)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ZeroReportError(_("At most %(n)d characters.", n=NOTE_MAX), "note")
    targets = normalize_targets(target_units)
    window = ZeroReportWindow(
        org_unit_id=tenant_root().id,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline.replace(second=0, microsecond=0, tzinfo=None),
        items=items,
        covers_all=targets is None,
        status="active",
        note=note,
        created_at=now,
        created_by_id=getattr(user, "id", None),
    )
    window.targets = [ZeroReportTarget(unit=unit) for unit in targets or []]
    db.session.add(window)
    db.session.flush()
    changes = audit.snapshot(window)
    changes["deadline"]["after"] = f"{window.deadline:%H:%M}"  # the trail's JSON holds no time objects
    changes["targets"] = {"before": None, "after": [unit.code for unit in targets] if targets else "all"}
    audit.record("zeroreport_window.open", window, changes=changes, summary=f"{title} {starts_on}")
    _refresh_schools(window)
    return window


def _refresh_schools(window: ZeroReportWindow) -> None:
    """Have the flags of every school the window covers recomputed after the commit."""
    paths = rules.target_paths(window)
    for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.is_active)):
        if rules.reports_daily(unit) and rules.covers(paths, unit):
            refresh_flags_later(unit.id)


def change_end(
    window: ZeroReportWindow, ends_on: date | None, user=None, now: datetime | None = None
) -> ZeroReportWindow:
    """Move the window's planned end (None: open-ended until switched off)."""
    now = _now(now)
    today = _today(now)
    if window.status != "active":
        raise ZeroReportConflict(_("This window was switched off; open a new one."), "ends_on")
    if window.phase(today) == "over":
        raise ZeroReportConflict(_("This window is over; open a new one."), "ends_on")
    _check_end(window.starts_on, ends_on, today)
    if ends_on == window.ends_on:
        return window
    before = window.ends_on
    window.ends_on = ends_on
    audit.record(
        "zeroreport_window.change_end",
        window,
        summary=f"{window.title}: {before or '—'} → {ends_on or '—'}",
    )
    _refresh_schools(window)
    return window


def switch_off(window: ZeroReportWindow, user=None, now: datetime | None = None) -> ZeroReportWindow:
    """End the window today: the days after are no longer required and it raises no more flags."""
    now = _now(now)
    today = _today(now)
    if window.status != "active":
        raise ZeroReportConflict(_("This window is already switched off."))
    window.status = "ended"
    window.switched_off_at = now
    window.switched_off_by_id = getattr(user, "id", None)
    if window.starts_on <= today and (window.ends_on is None or window.ends_on > today):
        window.ends_on = today
    audit.record("zeroreport_window.switch_off", window, summary=f"{window.title} {today}")
    _refresh_schools(window)
    return window


# --- daily reports -----------------------------------------------------------------------------


def _value_error(item: str) -> ZeroReportError:
    return ZeroReportError(
        _("“%(item)s”: give a whole number from 0 to %(max)d.", item=item, max=MAX_VALUE), "values", item
    )


def parse_values(window: ZeroReportWindow, raw: Mapping[str, Any] | None) -> dict[str, int]:
    """Check a day's counts against the window's items; an item not given counts as 0.

    Form text ("3") and JSON integers are accepted; booleans, fractions, negative numbers and
    other text are refused with a message naming the item.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ZeroReportError(_("Give the counts as {item: number}."), "values")
    for name in raw:
        if name not in window.items:
            raise ZeroReportError(
                _(
                    "“%(item)s” is not counted in this window (items: %(items)s).",
                    item=name,
                    items="、".join(window.items),
                ),
                "values",
                str(name),
            )
    values = {}
    for item in window.items:
        value = raw.get(item, 0)
        if isinstance(value, str):
            text = value.strip()
            if not INTEGER.match(text):
                raise _value_error(item)
            value = int(text)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
            raise _value_error(item)
        values[item] = value
    return values


def report_problem(
    window: ZeroReportWindow, school: OrgUnit, day: date, now: datetime
) -> ZeroReportError | None:
    """Return why the school cannot report `day` in the window, or None when it can."""
    tz = tenant_timezone()
    today = now.astimezone(tz).date()
    if not rules.reports_daily(school):
        return ZeroReportError(
            _("Only active schools report; grade groups report through their school."), "school_id"
        )
    if not rules.covers(rules.target_paths(window), school):
        return ZeroReportError(
            _("%(school)s is not in this window's target.", school=school.name), "school_id"
        )
    if day > today:
        return ZeroReportError(_("A future day cannot be reported yet."), "day")
    first, last = rules.required_days(window, school, today, tz)
    if not first <= day <= last:
        if first > last:
            return ZeroReportError(
                _("This window has no days to report for %(school)s.", school=school.name), "day"
            )
        return ZeroReportError(
            _("Report a day from %(first)s to %(last)s.", first=first.isoformat(), last=last.isoformat()),
            "day",
        )
    return None


def find_report(window: ZeroReportWindow, school: OrgUnit, day: date) -> ZeroReport | None:
    """Return the school's report of the day in the window, if any."""
    return db.session.scalar(
        select(ZeroReport).where(
            ZeroReport.window_id == window.id, ZeroReport.org_unit_id == school.id, ZeroReport.day == day
        )
    )


def submit_report(
    window: ZeroReportWindow,
    school: OrgUnit,
    day: date | None,
    values: Mapping[str, Any] | None,
    note: str = "",
    user=None,
    now: datetime | None = None,
) -> tuple[ZeroReport, bool]:
    """Report (or correct) the school's counts for a day; return (report, whether it is new)."""
    now = _now(now)
    if day is None:
        raise ZeroReportError(_("Give the day reported."), "day")
    counts = parse_values(window, values)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ZeroReportError(_("At most %(n)d characters.", n=NOTE_MAX), "note")
    problem = report_problem(window, school, day, now)
    if problem is not None:
        raise problem
    is_zero = not any(counts.values())
    report = find_report(window, school, day)
    summary = f"{school.code} {day} {window.title}"
    if report is not None:
        report.values, report.is_zero, report.note = counts, is_zero, note
        changes = audit.pending_changes(report)
        if not changes:
            return report, False
        report.updated_at = now
        report.updated_by_id = getattr(user, "id", None)
        audit.record("zeroreport.correct", report, changes=changes, summary=summary)
        return report, False
    report = ZeroReport(
        tenant_id=school.tenant_id,
        window_id=window.id,
        org_unit_id=school.id,
        day=day,
        values=counts,
        is_zero=is_zero,
        is_late=rules.is_late(window, day, now, tenant_timezone()),
        note=note,
        reported_at=now,
        reported_by_id=getattr(user, "id", None),
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request reported the same day a moment ago.
        raise ZeroReportConflict(
            _("The report for %(day)s was just made by someone else; reload to see it.", day=day.isoformat()),
            "day",
        ) from None
    audit.record("zeroreport.submit", report, changes=audit.snapshot(report), summary=summary)
    refresh_flags_later(school.id)
    return report, True
