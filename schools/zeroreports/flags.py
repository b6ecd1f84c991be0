"""Flags this feature raises, computed from its records (called by bureau/flags/compute.py).

zero_report_missing (零报告缺报): a school has no report for a required day (rules.py) of an
active window, the day's deadline has passed, and the day is one of the last FLAG_DAYS local
days (today and the six before). Older gaps stay visible in the completeness table but are
no longer chased. A late report clears the flag (its lateness stays on the report); so do a
change of target or end date that removes the day, and switching the window off (the bureau
stopped the exercise; a switched-off window raises no flags). Grade groups, closed units and
units outside the window's target never get the flag.

Subject "zeroreport:<window id>:<YYYY-MM-DD>", details {"window_id", "title", "day" (ISO date),
"deadline" (local "YYYY-MM-DD HH:MM")}. Two queries per batch: windows (with target paths)
and reports.
"""

from datetime import date, datetime, timedelta
from typing import Any

from schools.zeroreports import rules
from schools.zeroreports.queries import reported_days, windows_with_paths
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_timezone

FLAG_DAYS = 7


def zero_report_flags(
    units: list[OrgUnit], now: datetime, today: date, result: dict[int, dict[tuple[str, str], dict[str, Any]]]
) -> None:
    """Add to result[unit.id][(kind, subject)] = details every flag of this feature due at `now`."""
    schools = [unit for unit in units if rules.reports_daily(unit)]
    if not schools:
        return
    since = today - timedelta(days=FLAG_DAYS - 1)
    windows = windows_with_paths(since=since, until=today, active_only=True)
    if not windows:
        return
    reported = reported_days(
        [window.id for window, _paths in windows], [school.id for school in schools], since
    )
    tz = tenant_timezone()
    for window, paths in windows:
        dues: dict[date, datetime] = {}
        for school in schools:
            if not rules.covers(paths, school):
                continue
            first, last = rules.required_days(window, school, today, tz)
            for day in rules.days_between(max(first, since), last):
                if (window.id, school.id, day) in reported:
                    continue
                if day not in dues:
                    dues[day] = rules.due_at(window, day, tz)
                if now <= dues[day]:
                    continue
                result[school.id][("zero_report_missing", f"zeroreport:{window.id}:{day.isoformat()}")] = {
                    "window_id": window.id,
                    "title": window.title,
                    "day": day.isoformat(),
                    "deadline": rules.deadline_text(window, day),
                }
