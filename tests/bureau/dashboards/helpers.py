"""Test data of the dashboards: hazards with known dates and statuses, and reading pages back."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from bureau.rollups.refresh import rebuild_all
from schools.hazards.models import Hazard
from schools.submissions.due import add_months
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today

CANARY_BETA = "CANARY-BETA 乙县秘密隐患"
CANARY_C2 = "CANARY-C2 河口镇隐患"


def _hazard(unit_id: int, name: str, found_on: date, **values) -> Hazard:
    values = {"category": "fire", "level": "general", "status": "open", "location": "教学楼"} | values
    hazard = Hazard(org_unit_id=unit_id, found_on=found_on, description=name, seq=name[:20], **values)
    db.session.add(hazard)
    return hazard


def seed_district(app, world) -> SimpleNamespace:
    """Hazards in S11, S12 (C1), S21 (C2, the C2 canary) and beta (the beta canary); rollups rebuilt.

    Dates are relative to the current month (m0) and the one before (m1) so the counts never
    depend on the day the tests run:
    - h_overdue  S11 found m1+2, open, deadline m1+5: open, overdue, became overdue
    - h_ontime   S11 found m1+3, rectified m1+10 (deadline m1+20): rectified on time
    - h_major    S11 found m0, major, open, deadline today+3: open, under supervision, due soon
    - h_late     S11 found m1+1, rectified m1+4 and verified m1+6 (deadline m1+3): late, verified
    - h_food     S12 found m0, rectifying, no deadline, category food: open
    - h_c2       S21 found m1+2, open, deadline m1+4: open, overdue (the C2 canary)
    """
    orgs = world.alpha_orgs
    with app.app_context(), tenant_context(world.alpha.id):
        today = tenant_today()
        m0 = today.replace(day=1)
        m1 = add_months(m0, -1)
        hazards = {
            "h_overdue": _hazard(orgs["S11"], "消防通道堵塞", m1 + timedelta(2), deadline=m1 + timedelta(5)),
            "h_ontime": _hazard(
                orgs["S11"],
                "灭火器过期",
                m1 + timedelta(3),
                deadline=m1 + timedelta(20),
                status="rectified",
                rectified_on=m1 + timedelta(10),
            ),
            "h_major": _hazard(
                orgs["S11"],
                "围墙开裂倾斜",
                m0,
                level="major",
                category="building",
                deadline=today + timedelta(3),
            ),
            "h_late": _hazard(
                orgs["S11"],
                "配电箱未上锁",
                m1 + timedelta(1),
                deadline=m1 + timedelta(3),
                status="verified",
                category="utility",
                rectified_on=m1 + timedelta(4),
                verified_on=m1 + timedelta(6),
            ),
            "h_food": _hazard(orgs["S12"], "食堂留样不全", m0, status="rectifying", category="food"),
            "h_c2": _hazard(orgs["S21"], CANARY_C2, m1 + timedelta(2), deadline=m1 + timedelta(4)),
        }
        db.session.flush()
        ids = {name: hazard.id for name, hazard in hazards.items()}
        rebuild_all()
        db.session.commit()
    with app.app_context(), tenant_context(world.beta.id):
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "BS1"))
        school.name = "CANARY-BETA 乙县学校"
        _hazard(school.id, CANARY_BETA, m1 + timedelta(2), deadline=m1 + timedelta(4))
        rebuild_all()
        db.session.commit()
    return SimpleNamespace(world=world, ids=ids, today=today, m0=m0, m1=m1, orgs=orgs)


HAZARD_ROW = re.compile(r'data-hazard-id="(\d+)"')


def listed_ids(web, path: str) -> set[int]:
    """The hazard ids a drill-down page lists (every page)."""
    body = web.get(path + ("&" if "?" in path else "?") + "per_page=200").get_data(as_text=True)
    return {int(found) for found in HAZARD_ROW.findall(body)}


def month(day: date) -> str:
    return f"{day:%Y-%m}"


def login(web, district, username: str) -> None:
    """Log in as an alpha user and read the pages in English (the source texts the tests compare)."""
    assert web.login(username, district.world.password).status_code == 302
    assert web.post("/language", {"locale": "en"}).status_code == 302
