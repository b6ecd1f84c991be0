"""Reads of the escalation queue: which units the user receives for, and what waits there."""

from datetime import date, datetime

from flask_login import current_user
from sqlalchemy import Select, func, select

from schools.hazards.models import Hazard, HazardEvent
from schools.hazards.queries import escalated_to
from tenancy.models import OrgUnit
from tenancy.roles import PERMISSIONS
from tenancy.settings.store import tenant_timezone

ARRIVALS = ("escalate", "forward")  # the steps that bring a hazard to a unit's queue
LONG_WAIT_DAYS = 7


def receiving_units(user=None) -> list[OrgUnit]:
    """Return the units whose queue the user works: where they hold hazard review (central school, bureau)."""
    user = user if user is not None else current_user
    roles = PERMISSIONS["hazard.review"]
    units = {grant.org_unit.id: grant.org_unit for grant in user.grants if grant.role in roles}
    return sorted(units.values(), key=lambda unit: (unit.level, unit.code))


def _arrived_at():
    """When the hazard last arrived at its current receiver (its latest escalate/forward step)."""
    return (
        select(func.max(HazardEvent.at))
        .where(HazardEvent.hazard_id == Hazard.id, HazardEvent.action.in_(ARRIVALS))
        .correlate(Hazard)
        .scalar_subquery()
    )


def _note_count():
    return (
        select(func.count(HazardEvent.id))
        .where(HazardEvent.hazard_id == Hazard.id, HazardEvent.action == "coordinate")
        .correlate(Hazard)
        .scalar_subquery()
    )


def escalation_queue(unit: OrgUnit) -> Select:
    """Rows (hazard, arrived_at, notes) waiting at `unit`, the longest-waiting first."""
    arrived = func.coalesce(_arrived_at(), Hazard.created_at).label("arrived_at")
    return (
        escalated_to(unit)
        .add_columns(arrived, _note_count().label("notes"))
        .order_by(arrived.asc(), Hazard.id.asc())
    )


def arrived_at(hazard: Hazard) -> datetime:
    """When the hazard arrived where it now waits."""
    times = [event.at for event in hazard.events if event.action in ARRIVALS]
    return times[-1] if times else hazard.created_at


def days_waited(since: datetime | None, today: date) -> int:
    """Whole days between arrival (in the tenant's time zone) and today."""
    if since is None:
        return 0
    return max(0, (today - since.astimezone(tenant_timezone()).date()).days)
