"""Which org units keep their own safety records, and loading one in scope."""

from flask import abort

from tenancy.models import OrgUnit
from tenancy.scoping import get_scoped_or_404

NOT_SCHOOLS = ("bureau", "central")


def keeps_records(unit: OrgUnit) -> bool:
    """Schools, kindergartens, teaching points, directly-run schools and grade groups do."""
    return unit.kind not in NOT_SCHOOLS


def get_school_or_404(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a record-keeping unit in the user's scope (404 outside it, 403 without permission)."""
    unit = get_scoped_or_404(OrgUnit, school_id, permission=permission)
    if not keeps_records(unit):
        abort(404)
    return unit
