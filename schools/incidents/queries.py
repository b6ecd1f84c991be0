"""Reads of incidents: a school's list, the live list above schools, the API's filters, timeliness.

Periods (the live list's and API's from/to, the assessment's first/last day) are local dates of
when an incident *happened* (occurred_at in the tenant's time zone), both ends included: an
incident at 23:30 on 31 December belongs to that year even if it was reported after midnight.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, case, func, select

from schools.incidents.models import Incident
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import visible_org_ids
from tenancy.settings.store import tenant_timezone

SERIOUS_FIRST = case((Incident.is_serious, 0), else_=1)


def local_bounds(first_day: date | None, last_day: date | None) -> tuple[datetime | None, datetime | None]:
    """Return the UTC instants where the local first day starts and the day after the last starts."""
    tz = tenant_timezone()
    start = datetime.combine(first_day, time(), tz) if first_day else None
    stop = datetime.combine(last_day + timedelta(days=1), time(), tz) if last_day else None
    return start, stop


def visible_incidents(user=None) -> Select:
    """Select the incidents of every school in the user's subtrees."""
    return select(Incident).where(Incident.org_unit_id.in_(visible_org_ids(user)))


def subtree_incidents(unit: OrgUnit) -> Select:
    """Select the incidents of every school in the unit's subtree."""
    inside = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path, autoescape=True))
    return select(Incident).where(Incident.org_unit_id.in_(inside))


def filter_incidents(
    query: Select,
    *,
    school_id: int | None = None,
    status: str = "",
    kind: str = "",
    serious: bool = False,
    first_day: date | None = None,
    last_day: date | None = None,
) -> Select:
    """Narrow an incident query by school, status, kind, seriousness and local days it happened."""
    if school_id is not None:
        query = query.where(Incident.org_unit_id == school_id)
    if status:
        query = query.where(Incident.status == status)
    if kind:
        query = query.where(Incident.kind == kind)
    if serious:
        query = query.where(Incident.is_serious)
    start, stop = local_bounds(first_day, last_day)
    if start is not None:
        query = query.where(Incident.occurred_at >= start)
    if stop is not None:
        query = query.where(Incident.occurred_at < stop)
    return query


def live_order(query: Select) -> Select:
    """Serious incidents first, then the newest first."""
    return query.order_by(SERIOUS_FIRST, Incident.occurred_at.desc(), Incident.id.desc())


def live_incidents(unit: OrgUnit, limit: int | None = None) -> list[Incident]:
    """Return the open incidents of the unit's subtree, serious first, newest first."""
    query = live_order(filter_incidents(subtree_incidents(unit), status="open"))
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Timeliness:
    """How a school reported its incidents in a period (for the annual assessment)."""

    reported: int = 0
    on_time: int = 0
    late: int = 0
    responsibility_accidents: int = 0
    # Responsibility accidents with anyone dead or injured (the veto item 一票否决).
    responsibility_with_casualties: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """Share reported on time, None when nothing happened."""
        return self.on_time / self.reported if self.reported else None


def incident_timeliness_by_unit(
    unit_ids: list[int], first_day: date, last_day: date
) -> dict[int, Timeliness]:
    """Return Timeliness per school id for incidents that happened in [first_day, last_day] (one query)."""
    start, stop = local_bounds(first_day, last_day)
    casualties = (Incident.deaths + Incident.serious_injuries + Incident.minor_injuries) > 0
    rows = db.session.execute(
        select(
            Incident.org_unit_id,
            func.count(),
            func.sum(case((Incident.is_late, 1), else_=0)),
            func.sum(case((Incident.is_responsibility_accident, 1), else_=0)),
            func.sum(case((and_(Incident.is_responsibility_accident, casualties), 1), else_=0)),
        )
        .where(Incident.org_unit_id.in_(unit_ids), Incident.occurred_at >= start, Incident.occurred_at < stop)
        .group_by(Incident.org_unit_id)
    )
    found = {unit_id: Timeliness() for unit_id in unit_ids}
    for unit_id, reported, late, responsibility, with_casualties in rows:
        found[unit_id] = Timeliness(
            reported=reported,
            on_time=reported - int(late or 0),
            late=int(late or 0),
            responsibility_accidents=int(responsibility or 0),
            responsibility_with_casualties=int(with_casualties or 0),
        )
    return found


def incident_timeliness(school: OrgUnit, first_day: date, last_day: date) -> Timeliness:
    """Return how the school reported the incidents that happened from first_day to last_day."""
    return incident_timeliness_by_unit([school.id], first_day, last_day)[school.id]
