"""Reads of drills: a school's drills and obligations, what is due now, compliance, the overview.

For the lead's dashboards and the annual assessment:
- drills_due(school, today): the obligations due now or missed in the last twelve months;
- drill_compliance(school, first_day, last_day): counts of the obligations whose period ends
  in the range: required (met + missed), met, missed, due (still running, unmet: not counted
  as required until the period ends).
Set-based: the overview loads every school's drills with one query, however many schools.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, func, select

from schools.drills.models import Drill
from schools.drills.rules import LONGEST_PERIOD, Obligation, obligations, owes_drills, year_before
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import visible_org_ids
from tenancy.settings.semesters import school_year
from tenancy.settings.store import get_setting, tenant_timezone, tenant_today

CHUNK = 500  # units per IN (...) list


def opened_on(unit: OrgUnit) -> date:
    """The local date the unit was added to the platform (it owes nothing for earlier periods)."""
    return unit.created_at.astimezone(tenant_timezone()).date()


def held_drills(unit_ids: Iterable[int], first: date, last: date) -> dict[int, list]:
    """Return {unit id: rows (id, held_on, kind)} of the drills held in [first, last], one query a chunk."""
    unit_ids = list(unit_ids)
    found: dict[int, list] = defaultdict(list)
    for start in range(0, len(unit_ids), CHUNK):
        rows = db.session.execute(
            select(Drill.id, Drill.org_unit_id, Drill.held_on, Drill.kind).where(
                Drill.org_unit_id.in_(unit_ids[start : start + CHUNK]),
                Drill.held_on >= first,
                Drill.held_on <= last,
            )
        )
        for row in rows:
            found[row.org_unit_id].append(row)
    return found


def unit_obligations(
    unit: OrgUnit, first: date, last: date, drills: list, today: date, setting: dict | None = None
) -> list[Obligation]:
    """A unit's obligations ending in [first, last], given the drills it held around that range."""
    return obligations(
        unit.kind, opened_on(unit), first, last, drills, today, setting, is_active=unit.is_active
    )


def school_obligations(
    school: OrgUnit, first: date, last: date, today: date | None = None
) -> list[Obligation]:
    """Return the school's obligations whose period ends in [first, last], with their status."""
    today = today or tenant_today()
    drills = held_drills([school.id], first - LONGEST_PERIOD, last)[school.id]
    return unit_obligations(school, first, last, drills, today)


def drills_due(school: OrgUnit, today: date | None = None) -> list[Obligation]:
    """Return the obligations due now (period running, unmet) or missed in the last twelve months."""
    today = today or tenant_today()
    found = school_obligations(school, year_before(today), today + LONGEST_PERIOD, today)
    return [o for o in found if o.status in ("due", "missed")]


def compliance_counts(found: list[Obligation]) -> dict[str, int]:
    """Count obligations by status: required = met + missed (running unmet periods are not yet owed)."""
    counts = {status: sum(o.status == status for o in found) for status in ("met", "missed", "due")}
    return {"required": counts["met"] + counts["missed"], **counts}


def drill_compliance(
    school: OrgUnit, first_day: date, last_day: date, today: date | None = None
) -> dict[str, int]:
    """Return {"required", "met", "missed", "due"} for the obligations whose period ends in the range."""
    return compliance_counts(school_obligations(school, first_day, last_day, today))


def current_school_year(today: date | None = None) -> tuple[date, date]:
    """The school year (autumn start to the day before the next) holding today."""
    return school_year(today or tenant_today())


def school_drills(school: OrgUnit) -> Select:
    """Select the school's drills, latest first."""
    return select(Drill).where(Drill.org_unit_id == school.id).order_by(Drill.held_on.desc(), Drill.id.desc())


def visible_drills(user=None) -> Select:
    """Select the drills of every unit in the user's subtrees."""
    return select(Drill).where(Drill.org_unit_id.in_(visible_org_ids(user)))


def filter_drills(
    query: Select, *, school_id: int | None = None, first: date | None = None, last: date | None = None
):
    """Narrow a drill query by school and date range."""
    if school_id is not None:
        query = query.where(Drill.org_unit_id == school_id)
    if first is not None:
        query = query.where(Drill.held_on >= first)
    if last is not None:
        query = query.where(Drill.held_on <= last)
    return query


@dataclass
class OverviewRow:
    """One school of the overview: its obligations in the school year and its last drill."""

    school: OrgUnit
    obligations: list[Obligation]
    last_held_on: date | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def next_due(self) -> Obligation | None:
        return next((o for o in self.obligations if o.status == "due"), None)

    @property
    def missed(self) -> list[Obligation]:
        return [o for o in self.obligations if o.status == "missed"]


def schools_under(unit: OrgUnit) -> list[OrgUnit]:
    """Active units in the unit's subtree that owe drills, in tree order."""
    units = db.session.scalars(
        select(OrgUnit)
        .where(OrgUnit.path.startswith(unit.path, autoescape=True), OrgUnit.is_active)
        .order_by(OrgUnit.path)
    )
    return [u for u in units if owes_drills(u.kind)]


def overview(unit: OrgUnit, first: date, last: date, today: date | None = None) -> list[OverviewRow]:
    """Return every school under `unit` with its obligations ending in [first, last] (two queries)."""
    today = today or tenant_today()
    schools = schools_under(unit)
    ids = [school.id for school in schools]
    drills = held_drills(ids, first - LONGEST_PERIOD, last)
    latest: dict[int, date] = {}
    for start in range(0, len(ids), CHUNK):
        latest.update(
            db.session.execute(
                select(Drill.org_unit_id, func.max(Drill.held_on))
                .where(Drill.org_unit_id.in_(ids[start : start + CHUNK]), Drill.held_on <= last)
                .group_by(Drill.org_unit_id)
            ).all()
        )
    setting = get_setting("semesters")
    rows = []
    for school in schools:
        found = unit_obligations(school, first, last, drills[school.id], today, setting)
        rows.append(OverviewRow(school, found, latest.get(school.id), compliance_counts(found)))
    return rows


def flag_window(today: date) -> tuple[date, date]:
    """Obligations ending in this range raise drill_missed: the last twelve months up to yesterday."""
    return year_before(today), today - timedelta(days=1)
