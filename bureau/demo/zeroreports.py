"""Demo zero-report windows: last summer's flood season and this autumn's epidemic daily report.

- 汛期每日零报告: 06-01 → 08-31 of the latest summer, every school, switched off on its last
  evening; almost every school reported almost every day (a few late, a handful missing).
- 秋冬季传染病防控日报: switched on ten days ago for the schools of 城关镇 and 河口镇, open-ended;
  most reports are zero reports, some count absences and fevers, a few are late, and two
  careless schools have missed days lately, so the flags and the completeness table have a story.
Idempotent (skipped when the windows exist) and deterministic (random.Random per school).
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select

from schools.zeroreports import rules
from schools.zeroreports.models import ZeroReport, ZeroReportTarget, ZeroReportWindow
from tenancy.extensions import db
from tenancy.models import OrgUnit, User, utcnow
from tenancy.scoping import tenant_root
from tenancy.settings.store import tenant_timezone, tenant_today

FLOOD_ITEMS = ["险情数量", "转移师生人数"]
EPIDEMIC_ITEMS = ["因病缺课人数", "发热人数"]
EPIDEMIC_TOWNS = ("CG-ZX", "HK-ZX")
EPIDEMIC_DAYS = 10
NOTES = {
    "flood": ("校舍巡查发现围墙渗水，已设警示并安排维修。", "暴雨红色预警，按预案转移低洼处寄宿生。"),
    "epidemic": ("晨午检发现发热学生，已通知家长带往医院就诊。", "班级出现流感样病例，已开展教室通风消毒。"),
}


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tenant_timezone()).astimezone(UTC)


def _flood_season(today: date) -> tuple[date, date]:
    year = today.year if today >= date(today.year, 9, 1) else today.year - 1
    return date(year, 6, 1), date(year, 8, 31)


def _window(title: str, starts_on: date, ends_on, deadline: time, items, created_at, creator_id, **values):
    window = ZeroReportWindow(
        org_unit_id=tenant_root().id,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=deadline,
        items=items,
        created_at=created_at,
        created_by_id=creator_id,
        **values,
    )
    db.session.add(window)
    db.session.flush()
    return window


def _reports(
    window,
    schools,
    kind: str,
    admins: dict[int, int],
    shares: dict[str, float],
    careless: frozenset[str] = frozenset(),
) -> list[dict]:
    """Rows of every school's reports, by a per-school random draw; careless schools stopped reporting
    a few days ago and missed some days before."""
    tz, now = tenant_timezone(), utcnow()
    today = now.astimezone(tz).date()
    rows = []
    for school in schools:
        rng = random.Random(f"demo-zeroreports-{kind}-{school.code}")
        first, last = rules.required_days(window, school, today, tz)
        for day in rules.days_between(first, last):
            roll = rng.random()
            recent = (today - day).days < 4
            if roll < shares["missing"] or (school.code in careless and (recent or roll < 0.15)):
                continue
            due = rules.due_at(window, day, tz)
            if roll < shares["missing"] + shares["late"]:
                reported_at = due + timedelta(minutes=rng.randint(20, 900))
            else:
                reported_at = due - timedelta(minutes=rng.randint(10, 7 * 60))
            if reported_at > now:
                continue  # not yet: today's reports come in during the day
            counts = {item: 0 for item in window.items}
            note = ""
            if rng.random() < shares["counts"]:
                if kind == "flood":
                    counts = {"险情数量": rng.randint(1, 2), "转移师生人数": rng.choice([0, 0, 12, 35])}
                else:
                    counts = {"因病缺课人数": rng.randint(1, 7), "发热人数": rng.randint(0, 3)}
                note = rng.choice(NOTES[kind])
            rows.append(
                {
                    "tenant_id": school.tenant_id,
                    "window_id": window.id,
                    "org_unit_id": school.id,
                    "day": day,
                    "values": counts,
                    "is_zero": not any(counts.values()),
                    "is_late": reported_at > due,
                    "note": note,
                    "reported_at": reported_at.replace(microsecond=0),
                    "reported_by_id": admins.get(school.id),
                }
            )
    return rows


def load_demo_zeroreports() -> int:
    """Write the two demo windows and their reports (skipped when the demo already has windows)."""
    if db.session.scalar(select(ZeroReportWindow.id).limit(1)) is not None:
        return 0
    today = tenant_today()
    creator = db.session.scalar(select(User.id).where(User.username == "anquanke"))
    admins = {}
    for user in db.session.scalars(select(User)):
        for grant in user.grants:
            if grant.role == "school_admin":
                admins.setdefault(grant.org_unit_id, user.id)
    schools = [
        unit
        for unit in db.session.scalars(select(OrgUnit).order_by(OrgUnit.path))
        if rules.reports_daily(unit)
    ]

    flood_start, flood_end = _flood_season(today)
    flood = _window(
        f"{flood_start.year}年汛期每日零报告",
        flood_start,
        flood_end,
        time(17, 0),
        FLOOD_ITEMS,
        _local(flood_start - timedelta(days=4), 10),
        creator,
        status="ended",
        covers_all=True,
        note="汛期每日17:00前报告险情及转移情况，无险情也须零报告。",
        switched_off_at=_local(flood_end, 20),
        switched_off_by_id=creator,
    )
    towns = [unit for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.code.in_(EPIDEMIC_TOWNS)))]
    start = today - timedelta(days=EPIDEMIC_DAYS)
    epidemic = _window(
        "秋冬季传染病防控日报",
        start,
        None,
        time(16, 0),
        EPIDEMIC_ITEMS,
        _local(start - timedelta(days=1), 15),
        creator,
        status="active",
        covers_all=False,
        note="请各校每日16:00前报送因病缺课和发热学生人数，无情况报零。",
    )
    epidemic.targets = [ZeroReportTarget(unit=town) for town in sorted(towns, key=lambda unit: unit.code)]
    db.session.flush()
    rows = _reports(flood, schools, "flood", admins, {"missing": 0.01, "late": 0.03, "counts": 0.05})
    targeted = [school for school in schools if rules.covers(rules.target_paths(epidemic), school)]
    careless = frozenset(school.code for school in random.Random("demo-zeroreports").sample(targeted, 2))
    shares = {"missing": 0.04, "late": 0.08, "counts": 0.3}
    rows += _reports(epidemic, targeted, "epidemic", admins, shares, careless)
    if rows:
        db.session.execute(insert(ZeroReport), rows)
    return len(rows)
