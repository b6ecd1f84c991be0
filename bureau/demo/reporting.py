"""A year of monthly reports, some rectification notices, and the flags they leave, for the demo.

Most schools reported every month on time and were approved; some reported late, a few
reports were returned and resubmitted, last month's are partly still waiting for review,
and a few schools never reported a month, so the bureau and the central schools see real
review queues and overdue-report flags.
"""

import random
from datetime import timedelta

from sqlalchemy import func, insert, select, update

from bureau.flags.operations import refresh_all
from bureau.notices.models import Notice
from bureau.notices.operations import answer_notice, decide, issue_notice
from schools.hazards.models import Hazard
from schools.submissions.due import current_period, due_at
from schools.submissions.models import Submission
from schools.submissions.operations import reports_upward, reviewer_unit_for
from schools.submissions.snapshot import month_snapshot
from tenancy.extensions import db
from tenancy.models import OrgUnit, User, utcnow
from tenancy.settings.store import tenant_today

MONTHS = 12
NARRATIVES = (
    "本月按计划开展日巡查、周检查和月排查，发现的隐患均已落实整改责任人和期限。",
    "本月重点开展消防和食品安全专项检查，整改情况良好，个别隐患正在整改中。",
    "本月组织了应急疏散演练，对校舍、用电和周边环境进行了排查，未发现重大隐患。",
)


# Share of reports sent late, by reviewing central school: 石桥乡's schools are often late.
LATE_SHARE = {"SQ-ZX": 0.35, "TY-ZX": 0.15}


def _periods() -> list:
    period, found = current_period(), []
    for _month in range(MONTHS):
        period = (period - timedelta(days=1)).replace(day=1)
        found.append(period)
    return sorted(found)


def load_demo_reports() -> int:
    """Write a year of monthly reports (skipped when the demo already has some)."""
    if db.session.scalar(select(func.count()).select_from(Submission)):
        return 0
    # The district's schools existed long before the platform: reports are owed for the whole year.
    db.session.execute(
        update(OrgUnit)
        .values(created_at=utcnow() - timedelta(days=400))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()  # units already loaded must read the new date (the assessment does)
    periods, last = _periods(), _periods()[-1]
    reviewers = {user.username: user.id for user in db.session.scalars(select(User))}
    rows = []
    schools = [
        unit for unit in db.session.scalars(select(OrgUnit).order_by(OrgUnit.id)) if reports_upward(unit)
    ]
    for school in schools:
        rng = random.Random(f"demo-reports-{school.code}")
        reviewer_unit = reviewer_unit_for(school)
        reviewer_id = reviewers.get("cg_reviewer" if reviewer_unit.code == "CG-ZX" else "anquanke")
        never = rng.random() < 0.06  # a school that stopped reporting a few months ago
        for period in periods:
            due = due_at(period)
            roll = rng.random()
            if (never and period >= periods[-3]) or (period == last and roll < 0.12) or roll < 0.02:
                continue  # missing: an overdue-report flag
            late = rng.random() < LATE_SHARE.get(reviewer_unit.code, 0.06)
            submitted = (
                due + timedelta(hours=rng.randint(2, 72))
                if late
                else due - timedelta(hours=rng.randint(1, 96))
            )
            if period == last and submitted > due:
                submitted = due - timedelta(hours=3)
            base = {
                "tenant_id": school.tenant_id,
                "org_unit_id": school.id,
                "reviewer_unit_id": reviewer_unit.id,
                "period": period,
                "snapshot": month_snapshot(school, period),
                "narrative": rng.choice(NARRATIVES),
                "due_at": due,
                "submitted_at": submitted,
                "submitted_by_id": None,
                "reviewed_at": None,
                "reviewed_by_id": None,
                "review_comment": None,
            }
            if period == last and roll < 0.55:
                rows.append({**base, "version": 1, "status": "submitted"})  # waiting in the review queue
            elif period == last and roll < 0.62:
                rows.append(
                    {
                        **base,
                        "version": 1,
                        "status": "returned",
                        "reviewed_at": submitted + timedelta(days=1),
                        "reviewed_by_id": reviewer_id,
                        "review_comment": "请补充本月隐患整改的佐证照片和复查记录。",
                    }
                )
            elif rng.random() < 0.05:
                returned_at = submitted + timedelta(days=1)
                rows.append(
                    {
                        **base,
                        "version": 1,
                        "status": "returned",
                        "reviewed_at": returned_at,
                        "reviewed_by_id": reviewer_id,
                        "review_comment": "数据与台账不一致，请核对后重新报送。",
                    }
                )
                rows.append(
                    {
                        **base,
                        "version": 2,
                        "status": "approved",
                        "submitted_at": returned_at + timedelta(days=1),
                        "reviewed_at": returned_at + timedelta(days=2),
                        "reviewed_by_id": reviewer_id,
                    }
                )
            else:
                rows.append(
                    {
                        **base,
                        "version": 1,
                        "status": "approved",
                        "reviewed_at": max(submitted, due) + timedelta(days=rng.randint(1, 4)),
                        "reviewed_by_id": reviewer_id,
                    }
                )
    db.session.execute(insert(Submission), rows)
    return len(rows)


def load_demo_notices() -> int:
    """Issue a few notices from 城关镇中心学校 and the bureau, in every state (skipped when present)."""
    if db.session.scalar(select(func.count()).select_from(Notice)):
        return 0
    users = {user.username: user for user in db.session.scalars(select(User))}
    units = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
    today = tenant_today()
    plans = [  # issuer, issuer unit, school, state
        ("cg_reviewer", "CG-ZX", "CG-YX", "accepted"),
        ("cg_reviewer", "CG-ZX", "CG-EX", "issued"),
        ("cg_reviewer", "CG-ZX", "CG-SX", "overdue"),
        ("hk_reviewer", "HK-ZX", "HK-ZXXX", "issued"),
        ("anquanke", "QS-JYJ", "QS-SYZX", "answered"),
        ("anquanke", "QS-JYJ", "LL-ZXXX", "overdue"),
    ]
    issued = 0
    for issuer, issuer_code, school_code, state in plans:
        school = units[school_code]
        hazards = db.session.scalars(
            select(Hazard.id)
            .where(Hazard.org_unit_id == school.id, Hazard.status.in_(("open", "rectifying")))
            .order_by(Hazard.found_on)
            .limit(3)
        ).all()
        if not hazards:
            continue
        notice = issue_notice(
            units[issuer_code],
            school,
            hazards,
            today + timedelta(days=10),
            f"关于{school.name}限期整改安全隐患的通知",
            "经检查，你校存在以下安全隐患。请按照“定人、定责、定时、定措施”的要求，于整改期限前完成整改，并将整改情况报送我单位。",
            users[issuer],
        )
        if state == "overdue":  # issued a month ago, never answered
            notice.issued_at -= timedelta(days=30)
            notice.deadline = today - timedelta(days=15)
        if state in ("answered", "accepted"):
            school_admin = next(
                (
                    u
                    for u in users.values()
                    if any(g.role == "school_admin" and g.org_unit_id == school.id for g in u.grants)
                ),
                None,
            )
            if school_admin is not None:
                answer_notice(notice, "已逐项落实整改措施，整改责任人已现场复查确认。", [], school_admin)
                if state == "accepted":
                    decide(notice, True, "整改到位，予以验收。", users[issuer])
        issued += 1
    return issued


def refresh_demo_flags() -> None:
    """Compute the flags now, so the dashboards show them without waiting for the scheduler."""
    refresh_all()
