"""Flags this feature raises, computed from its records (called by bureau/flags/compute.py)."""

from datetime import date, datetime
from typing import Any

from tenancy.models import OrgUnit


def zero_report_flags(
    units: list[OrgUnit], now: datetime, today: date, result: dict[int, dict[tuple[str, str], dict[str, Any]]]
) -> None:
    """Add to result[unit.id][(kind, subject)] = details every flag of this feature due at `now`."""
