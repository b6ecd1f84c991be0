"""Records of a known year for the assessment tests, made through the real operations.

`school_s11(year)` gives 城关镇第一小学 (S11) a year whose every indicator is worked out by hand
in tests/bureau/assessment/test_compute.py; `school_s21(year)` gives 河口镇中心小学 (S21) a good
year spoiled by a responsibility accident with casualties. Call inside alpha's tenant context,
with the units created before the year (the `established` fixture).
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from schools.drills.operations import record_drill
from schools.grid import operations as grid
from schools.hazards.lifecycle import RECEIVER, SCHOOL
from schools.hazards.operations import HazardInput, report_hazard, take_step
from schools.incidents.operations import report_incident
from schools.letters.operations import issue_letter, save_target, sign_letter
from schools.submissions.due import due_at
from schools.submissions.operations import submit_report
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_timezone


def unit(code: str) -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def reports(school: OrgUnit, year: int, on_time: list[int], late: list[int]) -> None:
    """Submit the year's monthly reports: on time (a day before due) or late (a day after)."""
    for month in sorted(on_time + late):
        period = date(year, month, 1)
        submission = submit_report(school, period, f"{year}年{month}月安全工作月报")
        submission.submitted_at = due_at(period) + timedelta(days=1 if month in late else -1)
    db.session.flush()


def hazard(school: OrgUnit, found_on: date, deadline: date | None, level: str = "general", text: str = ""):
    return report_hazard(
        school,
        HazardInput(
            found_on=found_on,
            location="教学楼",
            category="fire",
            description=text or f"{found_on:%m月%d日}发现灭火器压力不足",
            level=level,
            deadline=deadline,
        ),
    )


def drill(school: OrgUnit, held_on: date, kind: str = "evacuation") -> None:
    record_drill(
        school,
        {"held_on": held_on, "kind": kind, "participants": 300, "duration_minutes": 15, "problems": "无"},
    )


def incident(school: OrgUnit, occurred: datetime, lag: timedelta, **values):
    """Report an incident that happened at `occurred` (local time), `lag` after it happened."""
    local = occurred.replace(tzinfo=tenant_timezone())
    return report_incident(
        school,
        {
            "occurred_at": local,
            "kind": "injury",
            "place": "操场",
            "summary": "学生课间奔跑摔倒",
            **values,
        },
        now=local.astimezone(UTC) + lag,
    )


def school_s11(year: int) -> None:
    """S11's year (the numbers are worked out in test_compute.py)."""
    school = unit("S11")
    # Reports: January–September on time, October and November late, December missing.
    reports(school, year, on_time=list(range(1, 10)), late=[10, 11])

    # Hazards. One found last December and rectified late in January counts for timeliness only.
    h0 = hazard(school, date(year - 1, 12, 15), date(year - 1, 12, 20), text="上年度遗留：配电箱未上锁")
    take_step(h0, "rectify", {SCHOOL}, on=date(year, 1, 10))
    h1 = hazard(school, date(year, 3, 1), date(year, 3, 10))
    take_step(h1, "rectify", {SCHOOL}, on=date(year, 3, 5))  # by the deadline
    h2 = hazard(school, date(year, 4, 1), date(year, 4, 5))
    take_step(h2, "rectify", {SCHOOL}, on=date(year, 4, 20))  # after it
    hazard(school, date(year, 6, 1), date(year, 6, 30))  # never rectified
    h4 = hazard(school, date(year, 5, 1), date(year, 6, 5), level="major", text="教学楼外墙瓷砖脱落")
    take_step(h4, "resolve", {RECEIVER}, note="区住建局协调维修", on=date(year, 6, 1))
    take_step(h4, "verify", {SCHOOL}, note="复查合格", on=date(year, 6, 10))
    hazard(school, date(year, 11, 1), None, level="major", text="围墙开裂倾斜")  # still open

    # Grid on 31 December: four cells, one without an owner; one cell closed in October and one
    # opened next year do not count.
    opened = date(year, 3, 1)
    staff = grid.create_staff(school, name="李四")
    for name in ("门卫室", "锅炉房", "食堂"):
        grid.assign_first_owner(
            grid.create_cell(school, name=name, kind="room", opened_on=opened), staff, opened
        )
    grid.create_cell(school, name="器材室", kind="room", opened_on=opened)
    grid.close_cell(grid.create_cell(school, name="旧车库", kind="room", opened_on=opened), date(year, 10, 1))
    grid.create_cell(school, name="新教学楼", kind="room", opened_on=date(year + 1, 1, 5))

    # Drills: the January one is a fire drill (autumn semester), the May one an earthquake drill
    # (spring semester); July and December have none.
    drill(school, date(year, 1, 10), "fire")
    for month in (3, 4, 6, 9, 10, 11):
        drill(school, date(year, month, 12))
    drill(school, date(year, 5, 12), "earthquake")

    # Letters: signed with the central school; two staff and one class declared; one staff
    # letter and the class letter signed, the other staff letter waiting.
    issued = date(year, 2, 20)
    upward = issue_letter(school, year, "central_school", issued_on=issued, signer_name="张校长")
    sign_letter(upward, signed_on=date(year, 2, 25), signer_name="张校长")
    save_target(school, year, 2, 1)
    for tier, label, signed in (
        ("principal_staff", "办公室", True),
        ("principal_staff", "总务处", False),
        ("teacher_class", "一年级(1)班", True),
    ):
        letter = issue_letter(school, year, tier, issued_on=issued, signer_label=label)
        if signed:
            sign_letter(letter, signed_on=date(year, 3, 1), signer_name="王老师")

    # Incidents: one reported after 30 minutes, one after three hours.
    incident(school, datetime(year, 4, 10, 8, 0), timedelta(minutes=30))
    incident(school, datetime(year, 10, 8, 9, 0), timedelta(hours=3))


def school_s21(year: int) -> None:
    """S21: every report on time, and a responsibility accident with casualties reported at once."""
    school = unit("S21")
    reports(school, year, on_time=list(range(1, 13)), late=[])
    incident(
        school,
        datetime(year, 9, 20, 10, 30),
        timedelta(minutes=20),
        kind="injury",
        summary="体育课器材倒塌砸伤学生",
        minor_injuries=2,
        is_responsibility_accident=True,
    )


def local_noon(day: date) -> datetime:
    """Noon of `day` in the tenant's time zone, in UTC (a unit's created_at on that day)."""
    return datetime.combine(day, time(12, 0), tzinfo=tenant_timezone()).astimezone(UTC)
