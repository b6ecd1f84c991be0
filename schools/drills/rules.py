"""How often a school must drill, as pure functions of dates, kinds and the drills it held.

The rules (SPEC §6; where the issue is silent the choice is written here):
- Frequency by school kind. Monthly: primary, junior_middle, senior_high, complete_middle,
  nine_year, twelve_year, vocational, special, teaching_point, and any other school kind added
  later. Quarterly (calendar quarters): kindergarten. Grade groups drill with their school and
  owe nothing; bureaus and central schools keep no records and owe nothing.
- Only term time is owed: a month or quarter is owed when at least one of its days lies in a
  semester (tenant setting "semesters"); with the defaults February and August owe nothing,
  July (term ends 07-10) and January (term ends 01-20) do.
- Every school kind (kindergartens too) owes, per semester, at least one fire or
  natural-disaster drill: kinds fire, earthquake and flood count; evacuation and other do not
  (they do count for the monthly and quarterly rule, as every kind does).
- An obligation applies only if the school existed on the period's first day (the local date
  of OrgUnit.created_at): a school opened mid-period owes nothing for that partial period.
  Closed units owe nothing.
- One drill can meet several obligations (its month and its semester).
- Status at `today` (the tenant's local date): met (a qualifying drill was held in the
  period), due (the period is running and not yet met), missed (the period has ended unmet),
  upcoming (the period has not started).
- A range of dates holds the obligations whose period *ends* in it, so consecutive ranges
  (school years, assessment years) never count one period twice.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

from flask_babel import gettext as _

from schools.drills.models import FIRE_OR_DISASTER
from schools.submissions.due import add_months
from tenancy.settings.semesters import Semester, semesters_between
from tenancy.settings.store import get_setting

MONTHLY_KINDS = frozenset(
    {
        "primary",
        "junior_middle",
        "senior_high",
        "complete_middle",
        "nine_year",
        "twelve_year",
        "vocational",
        "special",
        "teaching_point",
    }
)
QUARTERLY_KINDS = frozenset({"kindergarten"})
NO_OBLIGATIONS = frozenset({"bureau", "central", "grade_group"})
STATUSES = ("met", "due", "missed", "upcoming")
LONGEST_PERIOD = timedelta(days=366)  # no period (month, quarter, semester) is longer


class HeldDrill(Protocol):
    id: int
    held_on: date
    kind: str


@dataclass
class Obligation:
    """One period a school must have drilled in, and how it stands."""

    rule: str  # month, quarter or semester
    first: date
    last: date
    semester: str = ""  # spring or autumn, for the semester rule
    met_by: list[int] = field(default_factory=list)  # ids of the drills that meet it
    status: str = "upcoming"

    @property
    def key(self) -> str:
        if self.rule == "month":
            return f"month:{self.first:%Y-%m}"
        if self.rule == "quarter":
            return f"quarter:{self.first.year}-Q{quarter_of(self.first)}"
        return f"semester:{self.first.isoformat()}"

    @property
    def label(self) -> str:
        """The obligation and its period in the reader's language."""
        if self.rule == "month":
            return _("Monthly drill, %(month)s", month=f"{self.first:%Y-%m}")
        if self.rule == "quarter":
            return _(
                "Quarterly drill, %(year)d Q%(quarter)d", year=self.first.year, quarter=quarter_of(self.first)
            )
        if self.semester == "spring":
            return _("Fire or natural-disaster drill, %(year)d spring semester", year=self.first.year)
        return _("Fire or natural-disaster drill, %(year)d autumn semester", year=self.first.year)

    @property
    def chinese_label(self) -> str:
        """The label kept in a flag's details: plain Chinese, whatever the job's locale."""
        if self.rule == "month":
            return f"{self.first.year}年{self.first.month}月 月度演练"
        if self.rule == "quarter":
            return f"{self.first.year}年第{quarter_of(self.first)}季度 季度演练"
        season = "春季" if self.semester == "spring" else "秋季"
        return f"{self.first.year}年{season}学期 消防或自然灾害演练"


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def frequency(kind: str) -> str | None:
    """month, quarter, or None for units that owe no regular drill."""
    if kind in NO_OBLIGATIONS:
        return None
    return "quarter" if kind in QUARTERLY_KINDS else "month"


def owes_drills(kind: str, is_active: bool = True) -> bool:
    """Whether a unit of this kind has drill obligations at all."""
    return is_active and frequency(kind) is not None


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    return (
        day.replace(year=day.year - 1, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=day.year - 1)
    )


def _regular_periods(rule: str, first: date, last: date) -> Iterable[tuple[date, date]]:
    """Months or calendar quarters overlapping [first, last]."""
    step = 1 if rule == "month" else 3
    start = first.replace(day=1, month=(first.month - 1) // step * step + 1)
    while start <= last:
        following = add_months(start, step)
        yield start, following - timedelta(days=1)
        start = following


def _in_term(first: date, last: date, semesters: list[Semester]) -> bool:
    return any(s.start <= last and s.end >= first for s in semesters)


@lru_cache(maxsize=256)
def _periods(rule: str, first: date, last: date, setting: tuple[tuple[str, str], ...]) -> tuple:
    """(rule, first, last, semester) of every period of `rule` ending in [first, last], in term.

    The same for every school of a kind, so computed once per rule and range (an assessment of
    thousands of schools asks for the same few).
    """
    semesters = semesters_between(first - LONGEST_PERIOD, last, dict(setting))
    found = [
        (rule, start, end, "")
        for start, end in _regular_periods(rule, first - LONGEST_PERIOD, last)
        if _in_term(start, end, semesters)
    ]
    found += [("semester", s.start, s.end, s.name) for s in semesters]
    return tuple(period for period in found if first <= period[2] <= last)


def obligations(
    kind: str,
    opened_on: date,
    first: date,
    last: date,
    drills: Iterable[HeldDrill],
    today: date,
    setting: dict[str, str] | None = None,
    *,
    is_active: bool = True,
) -> list[Obligation]:
    """Return a school's obligations whose period ends in [first, last], each with its status."""
    rule = frequency(kind)
    if rule is None or not is_active:
        return []
    setting = setting or get_setting("semesters")
    found = [
        Obligation(name, start, end, semester=semester)
        for name, start, end, semester in _periods(rule, first, last, tuple(sorted(setting.items())))
        if opened_on <= start
    ]
    held = sorted(drills, key=lambda d: (d.held_on, d.id))
    days = [d.held_on for d in held]
    for obligation in found:
        within = held[bisect_left(days, obligation.first) : bisect_right(days, obligation.last)]
        obligation.met_by = [
            d.id for d in within if obligation.rule != "semester" or d.kind in FIRE_OR_DISASTER
        ]
        if obligation.met_by:
            obligation.status = "met"
        elif today > obligation.last:
            obligation.status = "missed"
        elif today >= obligation.first:
            obligation.status = "due"
    return sorted(found, key=lambda o: (o.last, o.rule != "semester", o.first))
