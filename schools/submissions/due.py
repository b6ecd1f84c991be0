"""When a month's report is due, and which months can be reported.

A month's report is due on day `report_due_day` (tenant setting, default 5) of the
following month, at 23:59 in the tenant's time zone. "At 23:59" includes that whole minute:
the due time is 23:59:59 local, and submission times are recorded to the second, so a
report stamped 23:59:59 is on time and one stamped 00:00:00 the next day is late
(`Submission.is_late` compares the two; SQL can compare the columns the same way).
A due day past the end of a short month is the month's last day (31 → 28 February).
"""

import calendar
from datetime import UTC, date, datetime, time

from tenancy.settings.store import get_setting, tenant_timezone, tenant_today

DUE_TIME = time(23, 59, 59)


def next_period(period: date) -> date:
    """Return the first day of the month after `period` (December → January)."""
    return date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def add_months(period: date, months: int) -> date:
    """Return the first day of the month `months` after (or before, when negative) `period`."""
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(period: date) -> date:
    """Return the last day of the month starting at `period`."""
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def due_at(period: date) -> datetime:
    """Return when the report of the month starting at `period` is due, in UTC."""
    following = next_period(period)
    day = min(int(get_setting("report_due_day")), calendar.monthrange(following.year, following.month)[1])
    local = datetime.combine(following.replace(day=day), DUE_TIME, tzinfo=tenant_timezone())
    return local.astimezone(UTC)


def current_period() -> date:
    """Return the first day of the tenant's current (local) month."""
    return tenant_today().replace(day=1)


def is_over(period: date) -> bool:
    """Whether the month has ended in the tenant's time zone (only ended months are reported)."""
    return period < current_period()
