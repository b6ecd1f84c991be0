"""Flags this feature raises, computed from its records (called by bureau/flags/compute.py).

incident_late: an incident whose first report came more than 60 minutes after it happened keeps
a flag open until the incident is closed (subject "incident:<id>"). One query per batch of units.
"""

from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from schools.incidents.models import Incident
from schools.units import keeps_records
from tenancy.extensions import db
from tenancy.models import OrgUnit

TITLE_MAX = 80


def incident_flags(
    units: list[OrgUnit], now: datetime, today: date, result: dict[int, dict[tuple[str, str], dict[str, Any]]]
) -> None:
    """Add to result[unit.id][(kind, subject)] = details every flag of this feature due at `now`."""
    ids = [unit.id for unit in units if unit.is_active and keeps_records(unit)]
    if not ids:
        return
    late = db.session.scalars(
        select(Incident)
        .where(Incident.org_unit_id.in_(ids), Incident.status == "open", Incident.is_late)
        .order_by(Incident.id)
    )
    # Details are stored text: written in the tenant's default language whoever triggers the refresh.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for incident in late:
            title = " ".join(incident.title.split())
            result[incident.org_unit_id][("incident_late", f"incident:{incident.id}")] = {
                "incident_id": incident.id,
                "title": title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…",
                "lag_minutes": incident.lag_minutes,
                "occurred_at": incident.occurred_at.astimezone(UTC).isoformat(),
                "reported_at": incident.reported_at.astimezone(UTC).isoformat(),
            }
