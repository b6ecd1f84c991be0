"""The month's ledger figures a school reports upward, computed in SQL from its hazards.

The figures of month M (all dates are local ledger dates):
- found: hazards found in M (`found_on` in M);
- rectified / verified: hazards whose `rectified_on` / `verified_on` falls in M;
- open: hazards found by the end of M and not rectified by then;
- overdue: of those open ones, the ones whose deadline had passed when M closed, i.e. the
  hazard ledger's rule "deadline passed and not yet rectified" (`overdue_condition`) applied
  as of the first day of the next month: deadline on or before M's last day;
- inspections: hazards found in M by how they were found (daily patrol, weekly check, …);
- drills: null until the drills module exists.

"Rectified by a date" means rectified (or, with no rectification date, verified) on or
before it; a hazard the ledger holds as rectified or verified with neither date is counted
as rectified, since nothing says when. A reopened hazard (re-check failed) has no
rectification date, so it counts as open again — the report freezes what was known then.

A school's report covers its own ledger and its grade groups' (its subtree).
"""

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from schools.hazards.models import OPEN_STATUSES, Hazard
from schools.submissions.due import month_end
from tenancy.extensions import db
from tenancy.models import OrgUnit

SNAPSHOT_FORMAT = 1
MEASURES = ("found", "rectified", "verified", "open", "overdue")


def _conditions(start: date, end: date) -> dict[str, Any]:
    """SQL conditions of each measure for the month [start, end]; none of them can be NULL."""
    done_on = func.coalesce(Hazard.rectified_on, Hazard.verified_on)
    rectified_by_end = or_(
        and_(done_on.isnot(None), done_on <= end),
        and_(done_on.is_(None), Hazard.status.notin_(OPEN_STATUSES)),
    )
    open_at_end = and_(Hazard.found_on <= end, ~rectified_by_end)
    return {
        "found": and_(Hazard.found_on >= start, Hazard.found_on <= end),
        "rectified": and_(
            Hazard.rectified_on.isnot(None), Hazard.rectified_on >= start, Hazard.rectified_on <= end
        ),
        "verified": and_(
            Hazard.verified_on.isnot(None), Hazard.verified_on >= start, Hazard.verified_on <= end
        ),
        "open": open_at_end,
        "overdue": and_(open_at_end, Hazard.deadline.isnot(None), Hazard.deadline <= end),
    }


def month_snapshot(school: OrgUnit, period: date) -> dict[str, Any]:
    """Return the month's figures as plain JSON (codes as keys), ready to be frozen in a report."""
    start, end = period.replace(day=1), month_end(period)
    conditions = _conditions(start, end)
    unit_ids = select(OrgUnit.id).where(OrgUnit.path.startswith(school.path, autoescape=True))
    rows = db.session.execute(
        select(
            Hazard.category,
            Hazard.level,
            Hazard.source,
            *[func.sum(case((condition, 1), else_=0)).label(name) for name, condition in conditions.items()],
        )
        .where(Hazard.org_unit_id.in_(unit_ids), or_(*conditions.values()))
        .group_by(Hazard.category, Hazard.level, Hazard.source)
    ).all()

    totals = dict.fromkeys(MEASURES, 0)
    by_category: dict[str, dict[str, int]] = {}
    by_level: dict[str, dict[str, int]] = {}
    inspections: dict[str, int] = {}
    for row in rows:
        counts = {name: int(getattr(row, name) or 0) for name in MEASURES}
        for name, value in counts.items():
            totals[name] += value
            by_category.setdefault(row.category, dict.fromkeys(MEASURES, 0))[name] += value
            by_level.setdefault(row.level, dict.fromkeys(MEASURES, 0))[name] += value
        if counts["found"]:
            inspections[row.source] = inspections.get(row.source, 0) + counts["found"]
    return {
        "format": SNAPSHOT_FORMAT,
        "period": start.strftime("%Y-%m"),
        "as_of": end.isoformat(),
        "totals": totals,
        "by_category": dict(sorted(by_category.items())),
        "by_level": dict(sorted(by_level.items())),
        "inspections": dict(sorted(inspections.items())),
        "drills": None,
    }
