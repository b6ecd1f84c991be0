"""Flags this feature raises, computed from its records (called by bureau/flags/compute.py).

drill_missed: an obligation (schools.drills.rules) whose period ended in the last twelve months
(from the same day a year ago up to yesterday) without a qualifying drill. Recording a drill
later, dated inside the period, meets the obligation and clears the flag at the next refresh.
One query for the drills of every unit in the batch.
"""

from datetime import date, datetime
from typing import Any

from schools.drills.queries import flag_window, held_drills, unit_obligations
from schools.drills.rules import LONGEST_PERIOD, owes_drills
from schools.units import keeps_records
from tenancy.models import OrgUnit
from tenancy.settings.store import get_setting


def drill_flags(
    units: list[OrgUnit], now: datetime, today: date, result: dict[int, dict[tuple[str, str], dict[str, Any]]]
) -> None:
    """Add to result[unit.id][(kind, subject)] = details every flag of this feature due at `now`."""
    flagged = [u for u in units if u.is_active and keeps_records(u) and owes_drills(u.kind)]
    if not flagged:
        return
    first, last = flag_window(today)
    drills = held_drills([u.id for u in flagged], first - LONGEST_PERIOD, last)
    setting = get_setting("semesters")
    for unit in flagged:
        for obligation in unit_obligations(unit, first, last, drills[unit.id], today, setting):
            if obligation.status == "missed":
                result[unit.id][("drill_missed", f"drills:{obligation.key}")] = {
                    "label": obligation.chinese_label,
                    "ended_on": obligation.last.isoformat(),
                }
