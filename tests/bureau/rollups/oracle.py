"""Rollup figures computed from scratch in Python, straight from the definitions, as a test oracle.

Where the SQL counts +1/−1 events per month and sums them, this evaluates each figure at each
month's end by its definition ("open at the end of the month", "overdue on that day"), hazard
by hazard, so the two share no code beyond the models.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bureau.flags.models import Flag
from schools.hazards.models import Hazard
from schools.submissions.due import add_months, due_at, month_end
from schools.submissions.models import Submission
from tenancy.extensions import db
from tenancy.models import OrgUnit

BUCKETS = [
    (1, "rect_d1"),
    (3, "rect_d3"),
    (7, "rect_d7"),
    (14, "rect_d14"),
    (30, "rect_d30"),
    (60, "rect_d60"),
]


def _closed(h: Hazard) -> date | None:
    if h.status not in ("rectified", "verified"):
        return None
    return max(h.rectified_on or h.verified_on or h.found_on, h.found_on)


def _verified(h: Hazard) -> date | None:
    if h.status != "verified":
        return None
    return max(h.verified_on or h.rectified_on or h.found_on, h.found_on)


def _month(day: date) -> date:
    return day.replace(day=1)


def oracle(now: datetime, zone: str) -> tuple[dict, dict]:
    """({(unit, period): Counter of figures}, {(unit, period, category): Counter}) without zero rows."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    units = db.session.scalars(select(OrgUnit)).all()
    hazards = db.session.scalars(select(Hazard)).all()
    reports = db.session.scalars(select(Submission)).all()
    flags = db.session.scalars(select(Flag)).all()
    dates = [today]
    for h in hazards:
        dates += [d for d in (h.found_on, h.rectified_on, h.verified_on) if d]
    months = [_month(min(dates) - timedelta(days=400))]
    while months[-1] < _month(max(dates)):
        months.append(add_months(months[-1], 1))

    own: dict[tuple[int, date], Counter] = defaultdict(Counter)
    for h in hazards:
        closed, verified = _closed(h), _verified(h)
        start = max(h.deadline + timedelta(days=1), h.found_on) if h.deadline else None
        found = own[h.org_unit_id, _month(h.found_on)]
        found["found"] += 1
        found["found_serious"] += h.level == "serious"
        found["found_major"] += h.level == "major"
        found["found_closed"] += closed is not None
        if closed:
            row = own[h.org_unit_id, _month(closed)]
            days = (closed - h.found_on).days
            row["rectified"] += 1
            row["rectified_on_time"] += h.deadline is None or closed <= h.deadline
            row["rect_days"] += days
            row[next((name for bound, name in BUCKETS if days <= bound), "rect_dmore")] += 1
        if verified:
            own[h.org_unit_id, _month(verified)]["verified"] += 1
            own[h.org_unit_id, _month(verified)]["verified_major"] += h.level == "major"
        if start and start <= today and (closed is None or start < closed):
            own[h.org_unit_id, _month(start)]["became_overdue"] += 1
        for month in months:
            end = month_end(month)
            still_open = closed is None or closed > end
            if h.found_on <= end and still_open:
                own[h.org_unit_id, month]["open_end"] += 1
            if start and start <= min(end, today) and still_open:
                own[h.org_unit_id, month]["overdue_end"] += 1
            if h.level == "major" and h.found_on <= end and (verified is None or verified > end):
                own[h.org_unit_id, month]["major_open_end"] += 1

    for unit in units:
        if not unit.is_active or unit.kind in ("bureau", "central", "grade_group"):
            continue
        first = _month(unit.created_at.astimezone(tz).date())
        for month in months:
            if month < first or due_at(month) > now:
                continue
            versions = [r for r in reports if r.org_unit_id == unit.id and r.period == month]
            stands = any(r.status in ("submitted", "approved") for r in versions)
            first_at = min((r.submitted_at for r in versions), default=None)
            row = own[unit.id, month]
            row["reports_due"] += 1
            row["reports_on_time"] += stands and first_at <= due_at(month)
            row["reports_late"] += stands and first_at > due_at(month)
            row["reports_missing"] += not stands

    for flag in flags:
        raised = flag.raised_at.astimezone(tz).date()
        cleared = flag.cleared_at.astimezone(tz).date() if flag.cleared_at else None
        own[flag.org_unit_id, _month(raised)]["flags_raised"] += 1
        if cleared:
            own[flag.org_unit_id, _month(cleared)]["flags_cleared"] += 1
        for month in months:
            end = month_end(month)
            if raised <= end and (cleared is None or cleared > end):
                own[flag.org_unit_id, month]["flags_open_end"] += 1

    by_id = {unit.id: unit for unit in units}
    totals: dict[tuple[int, date], Counter] = defaultdict(Counter)
    for (unit_id, month), figures in own.items():
        for ancestor in by_id[unit_id].ancestor_ids:
            totals[ancestor, month].update(figures)
    unit_rows = {key: +figures for key, figures in totals.items() if +figures}

    categories: dict[tuple[int, date, str], Counter] = defaultdict(Counter)
    for h in hazards:
        ids = by_id[h.org_unit_id].ancestor_ids
        if len(ids) < 2:
            continue
        closed = _closed(h)
        start = max(h.deadline + timedelta(days=1), h.found_on) if h.deadline else None
        for unit_id in ids[:2]:  # the bureau and the level-2 unit
            row = categories[unit_id, _month(h.found_on), h.category]
            row["found"] += 1
            row["found_major"] += h.level == "major"
            if closed:
                done = categories[unit_id, _month(closed), h.category]
                done["rectified"] += 1
                done["rectified_on_time"] += h.deadline is None or closed <= h.deadline
            if start and start <= today and (closed is None or start < closed):
                categories[unit_id, _month(start), h.category]["became_overdue"] += 1
    category_rows = {key: +figures for key, figures in categories.items() if +figures}
    return unit_rows, category_rows
