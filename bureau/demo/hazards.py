"""A realistic year of hazards for every school of the demo district, in every state.

Deterministic for a given day: the random generator is seeded by school code, and dates
run over the twelve months up to the day the demo is loaded.
"""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from bureau.demo.district import person_name
from bureau.demo.hazard_texts import HAZARDS, RESPONSIBLE_TITLES
from schools.hazards.models import Hazard, HazardEvent
from schools.units import keeps_records
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_root
from tenancy.settings.store import tenant_timezone, tenant_today

SOURCES = ("daily", "daily", "daily", "weekly", "weekly", "monthly", "special", "supervision")
CATEGORY_WEIGHTS = {
    "fire": 14,
    "building": 12,
    "food": 10,
    "security": 10,
    "utility": 12,
    "lab": 4,
    "dormitory": 5,
    "traffic": 6,
    "health": 7,
    "equipment": 6,
    "event": 2,
    "outing": 2,
    "surroundings": 4,
    "disaster": 4,
    "other": 2,
}


# Towns whose schools rectify slowly (a factor on the time taken), so the dashboards have a story:
# 桃源乡 lags clearly, 石桥乡 somewhat; the rest keep to their deadlines.
SLOW_TOWNS = {"TY-ZX": 2.2, "SQ-ZX": 1.5}
# Hazards per school per month by kind (a school's own size factor varies it further).
MONTHLY = {"grade_group": 4, "teaching_point": 6, "kindergarten": 10, "primary": 14}
MONTHLY_DEFAULT = 18  # middle, nine-year and senior high schools


def _status(
    rng: random.Random, found_on: date, deadline: date, today: date, slowness: float = 1.0
) -> tuple[str, date | None, date | None]:
    """Pick a status that fits the hazard's age: old ones are mostly closed, new ones mostly open.

    Before its deadline a hazard is in progress; after it, most are rectified (fewer in slow
    towns, whose rectifications also take longer); after four months nearly all are.
    """
    age = (today - found_on).days
    allowed = max(1, (deadline - found_on).days)
    if age <= allowed:
        closed_share = 0.15 + 0.6 * age / allowed
    elif age <= 120:
        closed_share = 0.975 / slowness**0.6
    else:
        closed_share = 0.99
    if rng.random() < closed_share:
        rectified = min(today, found_on + timedelta(days=rng.randint(0, int((allowed + 3) * slowness))))
        if rng.random() < 0.85 and rectified < today:
            return "verified", rectified, min(today, rectified + timedelta(days=rng.randint(1, 5)))
        return "rectified", rectified, None
    return ("rectifying" if rng.random() < 0.55 else "open"), None, None


def load_demo_hazards(days: int = 365) -> int:
    """Give every school a year of hazards (skipped when the demo already has some)."""
    if db.session.scalar(select(func.count()).select_from(Hazard)):
        return 0
    today = tenant_today()
    bureau = tenant_root()
    schools = [
        unit for unit in db.session.scalars(select(OrgUnit).order_by(OrgUnit.id)) if keeps_records(unit)
    ]
    rows, events = [], []
    categories, weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    for school in schools:
        rng = random.Random(f"demo-hazards-{school.code}")
        size = round(MONTHLY.get(school.kind, MONTHLY_DEFAULT) * rng.uniform(0.6, 1.4))
        town = school.parent.code if school.parent.kind == "central" else ""
        slowness = SLOW_TOWNS.get(town, 1.0)
        seq_by_year: dict[int, int] = {}
        for offset in sorted(rng.sample(range(days), k=min(days, size * 12))):
            found_on = today - timedelta(days=days - 1 - offset)
            category = rng.choices(categories, weights)[0]
            description, location, measures = rng.choice(HAZARDS[category])
            level = rng.choices(("general", "serious", "major"), (88, 10, 2))[0]
            deadline = found_on + timedelta(
                days=rng.choice((0, 3, 7, 7, 14, 30)) + (20 if level != "general" else 0)
            )
            status, rectified_on, verified_on = _status(rng, found_on, deadline, today, slowness)
            escalated_to = None
            if level == "major" and status in ("open", "rectifying"):
                status, escalated_to = "escalated", bureau.id
            elif status == "open" and rng.random() < 0.04:
                status, escalated_to = (
                    "escalated",
                    school.parent_id if school.parent.kind == "central" else bureau.id,
                )
            seq_by_year[found_on.year] = seq_by_year.get(found_on.year, 0) + 1
            rows.append(
                {
                    "tenant_id": school.tenant_id,
                    "org_unit_id": school.id,
                    "recorded_parent_id": school.parent_id,
                    "seq": str(seq_by_year[found_on.year]),
                    "found_on": found_on,
                    "source": rng.choice(SOURCES),
                    "location": location,
                    "category": category,
                    "level": level,
                    "description": description,
                    "measures": measures,
                    "responsible": f"{person_name(rng)}（{rng.choice(RESPONSIBLE_TITLES)}）",
                    "deadline": deadline,
                    "status": status,
                    "rectified_on": rectified_on,
                    "verified_on": verified_on,
                    "verified_by": person_name(rng) if verified_on else None,
                    "verification": "复查合格，予以销号" if verified_on else None,
                    "escalated_to_id": escalated_to,
                }
            )
    db.session.execute(insert(Hazard).execution_options(render_nulls=True), rows)
    zone = tenant_timezone()
    for hazard_id, status, tenant_id, found_on in db.session.execute(
        select(Hazard.id, Hazard.status, Hazard.tenant_id, Hazard.found_on)
    ):
        events.append(
            {
                "tenant_id": tenant_id,
                "hazard_id": hazard_id,
                "at": datetime.combine(found_on, time(9), zone),
                "actor": "demo-loader",
                "action": "report",
                "from_status": None,
                "to_status": status,
                "note": "演示数据",
                "changes": {},
            }
        )
    db.session.execute(insert(HazardEvent), events)
    return len(rows)
