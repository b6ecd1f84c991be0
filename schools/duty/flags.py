"""Flags this feature raises, computed from its records (called by bureau/flags/compute.py).

duty_gap: every day from today through the next seven days (schools.duty.queries.window, eight
days in the tenant's time zone) without a duty person or without a leader on duty, holidays
included. Subject "duty:<YYYY-MM-DD>", details {"day": ISO date, "missing": ["person"] /
["leader"] / ["person", "leader"]}. Schools that never entered a roster get a flag for every
day of the window. Only active schools that keep a roster (not grade groups); one query per batch.
"""

from datetime import date, datetime
from typing import Any

from schools.duty.queries import duty_gaps
from tenancy.models import OrgUnit


def duty_flags(
    units: list[OrgUnit], now: datetime, today: date, result: dict[int, dict[tuple[str, str], dict[str, Any]]]
) -> None:
    """Add to result[unit.id][(kind, subject)] = details every flag of this feature due at `now`."""
    for unit_id, days in duty_gaps(units, today).items():
        flags = result.setdefault(unit_id, {})
        for day, missing in days:
            flags[("duty_gap", f"duty:{day.isoformat()}")] = {"day": day.isoformat(), "missing": missing}
