"""Duty rosters (值班表) of the demo district: thirty days back to fourteen days ahead.

Most schools keep their roster with their own grid staff on duty in turn and a school leader on
duty each day; statutory holidays (元旦, 劳动节, 国庆) are marked and staffed like any day. A few
schools have not finished next week (days without a leader, or the roster stops early) and a
couple never entered one, so the duty_gap flags and /duty/today have something to show.
"""

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from bureau.demo.district import person_name, phone_number
from schools.duty.models import DutyDay
from schools.duty.operations import keeps_roster
from schools.grid.models import Staff
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_today

DAYS_BACK, DAYS_AHEAD = 30, 14
HOLIDAYS = {
    (1, 1): "元旦",
    **{(5, d): "劳动节" for d in range(1, 6)},
    **{(10, d): "国庆节" for d in range(1, 8)},
}
LEADER_POSTS = ("校长", "副校长", "安全办主任", "德育主任", "总务主任")


def _people(school: OrgUnit, rng: random.Random) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(duty staff, leaders) as (name, phone): the school's grid staff when it has them."""
    staff = db.session.execute(
        select(Staff.name, Staff.phone, Staff.position).where(Staff.org_unit_id == school.id, Staff.is_active)
    ).all()
    leaders = [(name, phone) for name, phone, position in staff if position and position.endswith("主任")]
    duty = [(name, phone) for name, phone, _position in staff] or [
        (person_name(rng), phone_number(rng)) for _n in range(5)
    ]
    while len(leaders) < 3:
        leaders.append((person_name(rng), phone_number(rng)))
    return duty, leaders


def load_demo_duty() -> int:
    """Write the rosters (skipped when the demo already has some); return the number of days."""
    if db.session.scalar(select(func.count()).select_from(DutyDay)):
        return 0
    today = tenant_today()
    days = [today + timedelta(days=n) for n in range(-DAYS_BACK, DAYS_AHEAD + 1)]
    rows = []
    schools = [
        unit
        for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.is_active).order_by(OrgUnit.id))
        if keeps_roster(unit)
    ]
    for school in schools:
        rng = random.Random(f"demo-duty-{school.code}")
        roll = rng.random()
        if roll < 0.04:
            continue  # never entered a roster: every day of the coming week is a gap
        stops = today + timedelta(days=rng.randint(2, 5)) if roll < 0.12 else None  # unfinished next week
        no_leader = today + timedelta(days=rng.randint(1, 6)) if 0.12 <= roll < 0.18 else None
        duty, leaders = _people(school, rng)
        for index, day in enumerate(days):
            if stops and day > stops:
                break
            person = duty[index % len(duty)]
            leader = leaders[(index // 7) % len(leaders)]  # a leader takes a week
            holiday = HOLIDAYS.get((day.month, day.day), "")
            rows.append(
                {
                    "tenant_id": school.tenant_id,
                    "org_unit_id": school.id,
                    "day": day,
                    "duty_person": person[0],
                    "duty_phone": person[1] or "",
                    "leader": "" if day == no_leader else leader[0],
                    "leader_phone": "" if day == no_leader else leader[1] or "",
                    "is_holiday": bool(holiday),
                    "note": f"{holiday}值班，24小时在岗" if holiday else "",
                }
            )
    if rows:
        db.session.execute(insert(DutyDay), rows)
    return len(rows)
