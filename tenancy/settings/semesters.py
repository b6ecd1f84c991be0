"""Semester dates, a tenant setting: checking them and turning them into concrete semesters.

The setting (key "semesters") holds four month-day strings "MM-DD":
spring_start, spring_end, autumn_start, autumn_end. Defaults: spring 03-01 → 07-10, autumn
09-01 → 01-20 of the next year. Rules:
- every date is a real day of a non-leap year (02-29 is refused: it does not exist every year);
- the spring semester lies within one calendar year (start before end);
- the autumn semester starts after the spring semester ends, in the same year; it may run past
  the new year (its end is then in January… of the next year) but must end before the next
  spring semester starts, so semesters never overlap;
- the school year runs from the autumn start to the day before the next autumn start.
A semester is named by the year it starts in: "2026 autumn" runs 2026-09-01 → 2027-01-20.
"""

import re
from datetime import date, timedelta
from typing import Any, NamedTuple

from flask_babel import gettext as _

from tenancy.settings.store import get_setting

SEMESTER_FIELDS = ("spring_start", "spring_end", "autumn_start", "autumn_end")
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
SEMESTER_NAMES = ("spring", "autumn")


class Semester(NamedTuple):
    """One concrete semester: its first and last day and its name (spring or autumn)."""

    start: date
    end: date
    name: str

    @property
    def key(self) -> str:
        return f"semester:{self.start.isoformat()}"


def parse_month_day(text: str | None) -> tuple[int, int] | None:
    """Read "MM-DD" as (month, day); None when it is not a day of every year."""
    match = MONTH_DAY.match((text or "").strip())
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2001, month, day)  # a non-leap year: 02-29 does not exist every year
    except ValueError:
        return None
    return month, day


def semester_problems(values: dict[str, Any]) -> dict[str, str]:
    """Return {field: message} for what is wrong with four semester dates (empty when fine)."""
    problems: dict[str, str] = {}
    parsed = {}
    for field in SEMESTER_FIELDS:
        parsed[field] = parse_month_day(values.get(field))
        if parsed[field] is None:
            problems[field] = _("Give a date as MM-DD, for example 03-01.")
    if problems:
        return problems
    spring_start, spring_end = parsed["spring_start"], parsed["spring_end"]
    autumn_start, autumn_end = parsed["autumn_start"], parsed["autumn_end"]
    if spring_end <= spring_start:
        problems["spring_end"] = _("The spring semester must end after it starts, in the same year.")
    elif autumn_start <= spring_end:
        problems["autumn_start"] = _("The autumn semester must start after the spring semester ends.")
    elif autumn_end == autumn_start:
        problems["autumn_end"] = _("The autumn semester must end after it starts.")
    elif autumn_end < autumn_start and autumn_end >= spring_start:
        problems["autumn_end"] = _("The autumn semester must end before the next spring semester starts.")
    return problems


def _day(year: int, month_day: str) -> date:
    month, day = parse_month_day(month_day)
    return date(year, month, day)


def semesters_of_year(year: int, setting: dict[str, str] | None = None) -> list[Semester]:
    """Return the spring and autumn semesters that start in `year`."""
    setting = setting or get_setting("semesters")
    autumn_start = _day(year, setting["autumn_start"])
    autumn_end = _day(year, setting["autumn_end"])
    if autumn_end < autumn_start:
        autumn_end = _day(year + 1, setting["autumn_end"])
    return [
        Semester(_day(year, setting["spring_start"]), _day(year, setting["spring_end"]), "spring"),
        Semester(autumn_start, autumn_end, "autumn"),
    ]


def semesters_between(first: date, last: date, setting: dict[str, str] | None = None) -> list[Semester]:
    """Return the semesters with at least one day in [first, last], in order."""
    setting = setting or get_setting("semesters")
    found = []
    for year in range(first.year - 1, last.year + 1):
        found += [s for s in semesters_of_year(year, setting) if s.start <= last and s.end >= first]
    return found


def school_year(day: date, setting: dict[str, str] | None = None) -> tuple[date, date]:
    """Return the first and last day of the school year holding `day` (autumn start to autumn start)."""
    setting = setting or get_setting("semesters")
    start = _day(day.year, setting["autumn_start"])
    if day < start:
        start = _day(day.year - 1, setting["autumn_start"])
    return start, _day(start.year + 1, setting["autumn_start"]) - timedelta(days=1)
