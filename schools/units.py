"""Which org units keep their own safety records, and loading one in scope."""

from flask import abort

from tenancy.jobs import submit
from tenancy.models import OrgUnit
from tenancy.scoping import get_scoped_or_404

NOT_SCHOOLS = ("bureau", "central")


def keeps_records(unit: OrgUnit) -> bool:
    """Schools, kindergartens, teaching points, directly-run schools and grade groups do."""
    return unit.kind not in NOT_SCHOOLS


def refresh_flags_later(school_id: int) -> None:
    """Have the school's flags recomputed after this transaction commits (coalesced per school).

    The job is the flags engine's (bureau/flags/tasks.py); it goes through the outbox, so the
    request never waits for it and a Redis outage loses nothing.
    """
    submit("flags.refresh_unit", key=f"flags:{school_id}", org_unit_id=school_id)


def get_school_or_404(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a record-keeping unit in the user's scope (404 outside it, 403 without permission)."""
    unit = get_scoped_or_404(OrgUnit, school_id, permission=permission)
    if not keeps_records(unit):
        abort(404)
    return unit
