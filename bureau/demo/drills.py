"""A year of drills for the demo district, so the drill calendars, the overview and the flags show something.

Every school drills in each owed month (kindergartens each quarter), on a school day inside the
term, with a fire drill at the start of each semester and an earthquake drill around 12 May
(防灾减灾日). A few schools are careless: some skip a month or two, some held only evacuation
drills in the last ended semester (no fire or natural-disaster drill), so drill_missed flags
appear. The current month's drill is done by most schools, not all. Deterministic (one seeded
random.Random per school) and idempotent (nothing is added when the demo has drills).
"""

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from schools.drills.models import FIRE_OR_DISASTER, Drill
from schools.drills.queries import opened_on
from schools.drills.rules import LONGEST_PERIOD, obligations, owes_drills, year_before
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.settings.semesters import semesters_between
from tenancy.settings.store import get_setting, tenant_today

PROBLEMS = (
    "三楼东侧楼梯拥堵，疏散用时超预期",
    "个别班级未按指定路线疏散，在二楼楼梯口与其他班级交汇",
    "部分学生疏散时弯腰捂鼻动作不规范",
    "一年级学生集合后清点人数用时较长，班主任未及时上报",
    "应急广播音量偏小，操场西侧听不清指令",
    "西侧安全出口门外堆放杂物，影响通行",
    "部分教师对疏散路线不熟悉，引导不到位",
    "少数学生边走边说笑，秩序有待加强",
    "疏散集合点位置划分不清，班级队伍交叉",
    "应急照明灯有两盏不亮",
    "无",
    "无",
)
IMPROVEMENTS = (
    "在楼梯转角增设疏散引导员，分时段错峰疏散",
    "重新张贴各班疏散路线图，班主任逐班讲解",
    "更换应急照明灯，安排总务处每周检查",
    "调整集合点标识，地面喷涂班级位置",
    "下次演练前对教师进行疏散引导专项培训",
    "",
)
NOTES = ("联合镇派出所、消防救援站现场指导", "邀请卫生院医生讲解伤员急救", "", "", "")
# Kinds of the drills that are not the semester's fire drill.
OTHER_KINDS = ("evacuation", "evacuation", "fire", "earthquake", "other", "flood")
CARELESS_SHARE = 0.08  # schools that skip a month or two
NO_FIRE_SHARE = 0.05  # schools without a fire or disaster drill in the last ended semester
CURRENT_DONE_SHARE = 0.7  # schools that already drilled in the running month


def _school_day(rng: random.Random, first: date, last: date) -> date:
    """A weekday between first and last (the last day when there is none)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5] or days
    return rng.choice(weekdays)


def _term_part(first: date, last: date, semesters) -> tuple[date, date] | None:
    """The first stretch of [first, last] inside a semester."""
    for semester in semesters:
        start, end = max(first, semester.start), min(last, semester.end)
        if start <= end:
            return start, end
    return None


def _plan(school: OrgUnit, rng: random.Random, today: date, setting: dict) -> list[tuple[date, str]]:
    """(day, kind) of the school's drills over the past year up to yesterday."""
    first = year_before(today)
    found = obligations(school.kind, opened_on(school), first, today + LONGEST_PERIOD, [], today, setting)
    semesters = semesters_between(first - LONGEST_PERIOD, today, setting)
    careless = rng.random() < CARELESS_SHARE
    no_fire = rng.random() < NO_FIRE_SHARE
    ended = [s for s in semesters if s.end < today]
    last_ended = ended[-1] if ended else None
    plan = []
    for obligation in found:
        if obligation.rule == "semester" or obligation.first >= today:
            continue
        if obligation.last >= today and rng.random() > CURRENT_DONE_SHARE:
            continue  # the running month: not done yet
        if careless and obligation.last < today and rng.random() < 0.2:
            continue  # skipped: a drill_missed flag
        stretch = _term_part(obligation.first, min(obligation.last, today - timedelta(days=1)), semesters)
        if stretch is None:
            continue
        day = _school_day(rng, *stretch)
        kind = "earthquake" if day.month == 5 else rng.choice(OTHER_KINDS)
        plan.append((day, kind))
    for semester in semesters:  # each semester opens with a fire drill (开学第一课)
        inside = sorted(i for i, (day, _kind) in enumerate(plan) if semester.start <= day <= semester.end)
        if not inside:
            continue
        if no_fire and semester == last_ended:
            for i in inside:
                if plan[i][1] in FIRE_OR_DISASTER:
                    plan[i] = (plan[i][0], "evacuation")
        else:
            index = min(inside, key=lambda i: plan[i][0])
            plan[index] = (plan[index][0], "fire")
    return plan


def load_demo_drills() -> int:
    """Write a year of drills for every demo school (skipped when the demo already has drills)."""
    if db.session.scalar(select(func.count()).select_from(Drill)):
        return 0
    today, setting = tenant_today(), get_setting("semesters")
    recorders = {
        grant.org_unit_id: user.id
        for user in db.session.scalars(select(User))
        for grant in user.grants
        if grant.role == "school_admin"
    }
    count = 0
    for school in db.session.scalars(select(OrgUnit).order_by(OrgUnit.id)):
        if not owes_drills(school.kind, school.is_active):
            continue
        rng = random.Random(f"demo-drills-{school.code}")
        big = school.kind in ("senior_high", "complete_middle", "junior_middle", "nine_year", "twelve_year")
        for day, kind in _plan(school, rng, today, setting):
            db.session.add(
                Drill(
                    tenant_id=school.tenant_id,
                    org_unit_id=school.id,
                    held_on=day,
                    kind=kind,
                    participants=rng.randint(600, 2400) if big else rng.randint(40, 900),
                    duration_minutes=rng.randint(8, 40),
                    problems=rng.choice(PROBLEMS),
                    improvements=rng.choice(IMPROVEMENTS),
                    notes=rng.choice(NOTES),
                    recorded_by_id=recorders.get(school.id),
                )
            )
            count += 1
    db.session.flush()
    return count
