"""Who must report which day of a zero-report window, and by when. Pure rules, no queries.

- A window covers every school of the tenant (`covers_all`) or the subtrees of its target units:
  choosing a central school covers all its schools, including schools added or moved there
  later (membership is read from the current org tree, not from history).
- Only schools report: active units that keep records, grade groups excluded (they report
  through their school). Closed schools are not required (their past reports stay).
- A school is required to report for each local day d in
  [first day, last day] where
    first day = max(window start, school created local date, window switched on local date),
      moved one day later when the window or the school came on the platform after that
      day's deadline (nobody can be late for a deadline that passed before they existed);
    last day = min(window end, switch-off day, today).
  Switching a window off makes its last day the switch-off day (that day itself is still
  required, the days after are not).
- The day's deadline is d at the window's deadline time in the tenant's time zone, and "at
  16:00" includes that whole minute: a report stamped 16:00:59 is on time, 16:01:00 is late
  (report times are recorded to the second). A day without a report is missing once its
  deadline has passed, and pending before that.
- A late report is accepted and marked late for good (`ZeroReport.is_late`, judged by the
  first report of the day); correcting it never changes that, either way.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from schools.units import keeps_records
from schools.zeroreports.models import ZeroReportWindow
from tenancy.models import OrgUnit


def reports_daily(unit: OrgUnit) -> bool:
    """Whether the unit files daily zero-reports: active schools, grade groups excluded."""
    return unit.is_active and keeps_records(unit) and unit.kind != "grade_group"


def target_paths(window: ZeroReportWindow) -> list[str] | None:
    """The org paths whose subtrees the window covers; None: every school of the tenant."""
    if window.covers_all:
        return None
    return [target.unit.path for target in window.targets]


def covers(paths: Iterable[str] | None, unit: OrgUnit) -> bool:
    """Whether a unit lies in the window's target (paths from target_paths)."""
    return paths is None or any(unit.path.startswith(path) for path in paths)


def due_at(window: ZeroReportWindow, day: date, tz: ZoneInfo) -> datetime:
    """Return the last instant (UTC) a report for `day` is on time: the deadline minute's last second."""
    local = datetime.combine(day, window.deadline.replace(second=59, microsecond=0), tzinfo=tz)
    return local.astimezone(UTC)


def deadline_text(window: ZeroReportWindow, day: date) -> str:
    """The day's deadline as local 'YYYY-MM-DD HH:MM' (as flags and pages show it)."""
    return f"{day.isoformat()} {window.deadline:%H:%M}"


def is_late(window: ZeroReportWindow, day: date, reported_at: datetime, tz: ZoneInfo) -> bool:
    """Whether a report made at `reported_at` for `day` is after the day's deadline."""
    return reported_at > due_at(window, day, tz)


def _arrival_day(window: ZeroReportWindow, when: datetime | None, tz: ZoneInfo) -> date | None:
    """The first day someone who arrived at `when` can be required for (next day after its deadline)."""
    if when is None:
        return None
    day = when.astimezone(tz).date()
    return day + timedelta(days=1) if when > due_at(window, day, tz) else day


def last_day(window: ZeroReportWindow, today: date, tz: ZoneInfo) -> date:
    """The window's last required day as of `today`: its end, its switch-off day, or today."""
    last = today
    if window.ends_on is not None:
        last = min(last, window.ends_on)
    if window.switched_off_at is not None:
        last = min(last, window.switched_off_at.astimezone(tz).date())
    return last


def first_day(window: ZeroReportWindow, school: OrgUnit, tz: ZoneInfo) -> date:
    """The first day the school must report in the window."""
    candidates = [
        window.starts_on,
        _arrival_day(window, window.created_at, tz),
        _arrival_day(window, school.created_at, tz),
    ]
    return max(day for day in candidates if day is not None)


def required_days(window: ZeroReportWindow, school: OrgUnit, today: date, tz: ZoneInfo) -> tuple[date, date]:
    """Return (first, last) required day of a school covered by the window (empty when first > last)."""
    return first_day(window, school, tz), last_day(window, today, tz)


def days_between(first: date, last: date) -> Iterator[date]:
    """Yield every day from first to last, both included (nothing when first > last)."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
