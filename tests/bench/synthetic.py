"""Build a large synthetic tenant for benchmarks: org tree, hazards, monthly reports and flags.

    from tests.bench.synthetic import build_tenant, drop_tenant
    tenant_id = build_tenant(app, schools=5000, centrals=200, hazards=1_000_000, today=date(2026, 5, 20))

Rows are written with Core inserts (psycopg COPY on PostgreSQL, chunked executemany elsewhere), so
the tenant filter of tenancy.scoping does not apply and every row gets its tenant_id here. The
values come from numpy and random generators seeded with `seed`: the same arguments give the same
rows on either database (ids aside, which the database assigns). Times follow the default tenant
settings (Asia/Shanghai, reports due on day 5 of the next month at 23:59:59 local).

Run: .venv/bin/python tests/bench/synthetic.py --database-url URL [--schools 5000] [--centrals 200]
     [--hazards 1000000] [--years 3] [--today YYYY-MM-DD] [--verbose]
"""

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from flask import Flask, current_app, has_app_context
from sqlalchemy import JSON, MetaData, String, Table, and_, cast, func, insert, or_, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bureau.flags.models import FLAG_KINDS, Flag  # noqa: E402
from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES  # noqa: E402
from schools.hazards.models import OPEN_STATUSES, Hazard  # noqa: E402
from schools.submissions.models import Submission  # noqa: E402
from tenancy.extensions import db  # noqa: E402
from tenancy.models import OrgUnit, OrgUnitParentPeriod, Tenant  # noqa: E402
from tenancy.settings.store import DEFAULTS  # noqa: E402

ZONE = ZoneInfo(DEFAULTS["timezone"])
REPORT_DUE_DAY = DEFAULTS["report_due_day"]
DUE_TIME = clock(23, 59, 59)
DAY = 86_400
HOUR = 3_600
CHUNK = 100_000  # hazards generated (and, on SQLite, inserted) at a time; part of the seed's meaning

SCHOOL_KINDS = {  # kind: (share, name suffix, relative number of hazards)
    "primary": (0.55, "小学", 1.0),
    "junior_middle": (0.15, "中学", 1.3),
    "kindergarten": (0.15, "幼儿园", 0.6),
    "nine_year": (0.07, "九年一贯制学校", 1.5),
    "teaching_point": (0.08, "教学点", 0.3),
}
PRIVATE_SHARE = 0.10
CATEGORY_WEIGHTS = {
    "fire": 20,
    "building": 15,
    "security": 12,
    "food": 10,
    "utility": 9,
    "traffic": 7,
    "health": 6,
    "lab": 5,
    "dormitory": 4,
    "equipment": 4,
    "surroundings": 3,
    "event": 2,
    "outing": 1,
    "disaster": 1,
    "other": 1,
}
LEVEL_WEIGHTS = {"general": 85, "serious": 12, "major": 3}
SOURCE_WEIGHTS = {"daily": 40, "weekly": 25, "monthly": 20, "special": 8, "supervision": 5, "other": 2}
# Statuses by age: what was found over RECENT_DAYS ago is mostly closed; recent hazards are a mix.
STATUS_ORDER = ("verified", "rectified", "open", "rectifying", "escalated")
OLD_STATUS_P = (0.72, 0.18, 0.05, 0.03, 0.02)
RECENT_STATUS_P = (0.20, 0.22, 0.25, 0.25, 0.08)
RECENT_DAYS = 60
NO_DEADLINE_SHARE = 0.05
LATE_RECTIFICATION_SHARE = 0.20  # of hazards with a deadline, rectified after it
MAX_RECTIFY_DAYS = 45
MAX_VERIFY_DAYS = 7
REPORT_MISSING_SHARE = 0.05
REPORT_LATE_SHARE = 0.10
REVIEW_P = {"approved": 0.88, "returned": 0.06, "submitted": 0.06}
FLAG_WEIGHTS = {
    "report_overdue": 35,
    "hazard_overdue": 35,
    "major_unverified": 10,
    "grid_blind_spot": 10,
    "notice_unanswered": 10,
    "drill_missed": 6,
    "incident_late": 1,
    "duty_gap": 4,
    "zero_report_missing": 3,
}
FLAGS_PER_SCHOOL = (1, 5)
# Subjects of the flags of drills, incidents, duty and zero-reports, from the day raised.
OTHER_WORK_SUBJECTS = {
    "drill_missed": lambda day, rnd: f"drills:month:{_previous_month(day):%Y-%m}",
    "incident_late": lambda day, rnd: f"incident:{rnd.randint(1, 100_000)}",
    "duty_gap": lambda day, rnd: f"duty:{day:%Y-%m-%d}",
    "zero_report_missing": lambda day, rnd: f"zeroreport:{rnd.randint(1, 50)}:{day:%Y-%m-%d}",
}
FLAG_CLEARED_SHARE = 0.70

PLACES = (
    "教学楼一楼走廊",
    "教学楼三楼楼梯口",
    "食堂操作间",
    "食堂仓库",
    "学生宿舍二楼",
    "实验室",
    "图书馆",
    "体育馆",
    "操场东侧围墙",
    "校门口",
    "锅炉房",
    "配电室",
    "行政楼",
    "多功能厅",
    "停车场",
    "幼儿活动室",
)
PROBLEMS = (
    "灭火器压力不足",
    "疏散指示标志不亮",
    "消防通道堆放杂物",
    "墙体出现裂缝",
    "护栏松动",
    "电线私拉乱接",
    "插座老化",
    "食品留样记录不全",
    "冷库温度超标",
    "危化品台账不清",
    "监控摄像头损坏",
    "门卫登记不规范",
    "地面湿滑无警示",
    "窗户限位器缺失",
    "校车安全带损坏",
    "排水沟盖板破损",
)
MEASURES = ("立即更换", "限期维修", "清理并张贴警示标志", "加强巡查", "建立台账并专人负责", "请专业单位检修")
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴丽")
RETURN_COMMENT = "请补充整改照片后重新报送"


@dataclass(frozen=True)
class Span:
    """The dates the data covers: `days` days ending at `today`; `now` is the build moment."""

    today: date
    days: int
    created_at: datetime  # when the org units appeared, before the first day of the span
    now: datetime  # noon local on `today`: nothing is stamped later


@dataclass(frozen=True)
class Tree:
    """The ids of a built org tree; schools are in code order, with their central and hazard weight."""

    bureau_id: int
    school_ids: np.ndarray
    school_centrals: np.ndarray
    school_weights: np.ndarray


def build_tenant(
    app: Flask,
    *,
    code: str = "bench",
    schools: int = 5000,
    centrals: int = 200,
    hazards: int = 1_000_000,
    years: int = 3,
    seed: int = 7,
    today: date,
    verbose: bool = False,
) -> int:
    """Create (or replace: delete first if the code exists) a tenant with that code and return its id.

    Commits (the data is for other connections to read); on PostgreSQL the new tables are then
    vacuumed and analyzed. `verbose` prints progress to stderr.
    """
    if centrals < 1 or schools < centrals or hazards < 0 or years < 1:
        raise ValueError("need 1 <= centrals <= schools, hazards >= 0 and years >= 1")
    _check_codes()
    log = _logger(verbose)
    with _app_context(app):
        if drop_tenant(app, code) is not None:
            log(f"dropped the previous tenant {code!r}")
        span = _span(today, years)
        try:
            tenant_id = _insert_tenant(code, span)
            tree = _insert_tree(tenant_id, code, schools, centrals, span, np.random.default_rng([seed, 1]))
            log(f"org tree: 1 bureau, {centrals} centrals, {schools} schools")
            count = _insert_hazards(tenant_id, tree, span, hazards, np.random.default_rng([seed, 2]), log)
            log(f"hazards: {count}")
            count = _insert_submissions(tenant_id, tree, span, np.random.default_rng([seed, 3]))
            log(f"submissions: {count}")
            count = _insert_flags(tenant_id, tree, span, random.Random(f"{seed}:flags"))
            log(f"flags: {count}")
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        if db.engine.dialect.name == "postgresql":
            # A live database has planner statistics and a visibility map; a fresh bulk load has neither.
            vacuum(model.__tablename__ for model in (OrgUnit, OrgUnitParentPeriod, Hazard, Submission, Flag))
            log("vacuum analyze done")
        return tenant_id


def drop_tenant(app: Flask, code: str) -> int | None:
    """Delete every row of the tenant with that code, children first; return its id (None if absent).

    The tables are read from the database, not the models, so tables of models that were not
    imported (rollups written by a benchmark) are emptied too. On PostgreSQL, when it is the only
    tenant, its tables are truncated (identities restart, so a rebuild gets the same ids).
    Otherwise in two transactions: the records, then the org tree and the tenant. On PostgreSQL
    the emptied tables are vacuumed in between, because each deleted org unit's foreign-key check
    scans hazards by columns no index leads with: over a million dead rows take many minutes.
    """
    with _app_context(app):
        schema = MetaData()
        schema.reflect(bind=db.session.connection())
        tenants, org = schema.tables["tenants"], schema.tables["org_units"]
        tenant_id = db.session.scalar(select(tenants.c.id).where(tenants.c.code == code))
        if tenant_id is None:
            return None
        audit = schema.tables["audit_events"]
        if db.session.scalar(select(func.count()).where(audit.c.tenant_id == tenant_id)):
            # Synthetic tenants have no audit trail; one that does is real data (and append-only).
            raise RuntimeError(f"tenant {code!r} has audit events: not a synthetic tenant, not dropped")
        owned = [table for table in reversed(schema.sorted_tables) if "tenant_id" in table.c]
        alone = not db.session.scalar(select(func.count()).where(tenants.c.id != tenant_id))
        if alone and db.engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in [*owned, tenants])
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
            db.session.commit()
            return tenant_id
        emptied = []
        for table in (table for table in owned if table is not org):
            if db.session.execute(table.delete().where(table.c.tenant_id == tenant_id)).rowcount:
                emptied.append(table.name)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            vacuum(emptied)
        db.session.execute(org.delete().where(org.c.tenant_id == tenant_id))
        db.session.execute(tenants.delete().where(tenants.c.id == tenant_id))
        db.session.commit()
        return tenant_id


def _check_codes() -> None:
    """Refuse to build with weights that no longer cover the app's codes exactly."""
    for name, weights, codes in (
        ("categories", CATEGORY_WEIGHTS, CATEGORIES),
        ("levels", LEVEL_WEIGHTS, LEVELS),
        ("sources", SOURCE_WEIGHTS, SOURCES),
        ("statuses", STATUS_ORDER, STATUSES),
        ("flag kinds", FLAG_WEIGHTS, FLAG_KINDS),
    ):
        if set(weights) != set(codes):
            raise RuntimeError(f"synthetic {name} differ from the app's: {sorted(set(weights) ^ set(codes))}")


# --- the tenant and its org tree -------------------------------------------------------


def _span(today: date, years: int) -> Span:
    days = years * 365
    created_on = today - timedelta(days=days + 30)
    return Span(
        today=today,
        days=days,
        created_at=datetime.combine(created_on, clock(), ZONE).astimezone(UTC),
        now=datetime.combine(today, clock(12), ZONE).astimezone(UTC),
    )


def _insert_tenant(code: str, span: Span) -> int:
    tenants = Tenant.__table__
    return db.session.execute(
        tenants.insert().returning(tenants.c.id),
        {"code": code, "name": f"{code} 基准测试教育局", "is_active": True, "created_at": span.created_at},
    ).scalar_one()


def _insert_tree(
    tenant_id: int, code: str, schools: int, centrals: int, span: Span, rng: np.random.Generator
) -> Tree:
    """Insert the bureau, then the centrals, then the schools, each level's paths set from its parents'."""
    org = OrgUnit.__table__
    columns = ("tenant_id", "code", "name", "level", "kind", "is_private", "is_active", "parent_id", "path")
    columns += ("created_at",)
    bureau = (tenant_id, code, f"{code} 基准测试教育局", 1, "bureau", False, True, None, "", span.created_at)
    bureau_id = db.session.execute(
        org.insert().returning(org.c.id), dict(zip(columns, bureau, strict=True))
    ).scalar_one()
    db.session.execute(update(org).where(org.c.id == bureau_id).values(path=f"/{bureau_id}/"))

    width = max(4, len(str(centrals)))
    insert_rows(
        org,
        columns,
        (
            (tenant_id, f"C{n:0{width}d}", f"第{n}中心校", 2, "central", False, True, bureau_id, "")
            + (span.created_at,)
            for n in range(1, centrals + 1)
        ),
    )
    central_ids = _ids_by_code(tenant_id, level=2)

    kinds = list(SCHOOL_KINDS)
    shares = np.array([SCHOOL_KINDS[kind][0] for kind in kinds])
    kind_index = rng.choice(len(kinds), size=schools, p=shares / shares.sum())
    is_private = rng.random(schools) < PRIVATE_SHARE
    # Schools have very different ledgers: a lognormal spread, scaled by how big the kind usually is.
    weights = rng.lognormal(0.0, 1.0, schools) * np.array([SCHOOL_KINDS[kinds[k]][2] for k in kind_index])
    parent_index = np.arange(schools) * centrals // schools  # contiguous, even blocks per central
    width = max(5, len(str(schools)))
    insert_rows(
        org,
        columns,
        (
            (tenant_id, f"S{n + 1:0{width}d}", f"第{n + 1}{SCHOOL_KINDS[kinds[k]][1]}", 3, kinds[k])
            + (bool(private), True, central_ids[parent], "", span.created_at)
            for n, (k, private, parent) in enumerate(zip(kind_index, is_private, parent_index, strict=True))
        ),
    )
    school_ids = _ids_by_code(tenant_id, level=3)

    parent = org.alias("parent")
    parent_path = select(parent.c.path).where(parent.c.id == org.c.parent_id).scalar_subquery()
    for level in (2, 3):
        db.session.execute(
            update(org)
            .where(org.c.tenant_id == tenant_id, org.c.level == level)
            .values(path=parent_path + cast(org.c.id, String) + "/")
        )
    periods = OrgUnitParentPeriod.__table__
    db.session.execute(
        insert(periods).from_select(
            ["tenant_id", "org_unit_id", "parent_id", "started_at"],
            select(org.c.tenant_id, org.c.id, org.c.parent_id, org.c.created_at).where(
                org.c.tenant_id == tenant_id
            ),
        )
    )
    return Tree(
        bureau_id=bureau_id,
        school_ids=np.array(school_ids, dtype=np.int64),
        school_centrals=np.array(central_ids, dtype=np.int64)[parent_index],
        school_weights=weights / weights.sum(),
    )


def _ids_by_code(tenant_id: int, *, level: int) -> list[int]:
    org = OrgUnit.__table__
    return list(
        db.session.scalars(
            select(org.c.id).where(org.c.tenant_id == tenant_id, org.c.level == level).order_by(org.c.code)
        )
    )


# --- hazards ---------------------------------------------------------------------------

HAZARD_COLUMNS = (
    "tenant_id",
    "org_unit_id",
    "recorded_parent_id",
    "found_on",
    "source",
    "location",
    "category",
    "category_inferred",
    "level",
    "description",
    "measures",
    "responsible",
    "deadline",
    "status",
    "rectified_on",
    "verified_by",
    "verified_on",
    "escalated_to_id",
    "created_at",
    "updated_at",
)


def _insert_hazards(tenant_id: int, tree: Tree, span: Span, count: int, rng: np.random.Generator, log) -> int:
    hazards = Hazard.__table__
    for start in range(0, count, CHUNK):
        insert_rows(
            hazards, HAZARD_COLUMNS, _hazard_rows(tenant_id, tree, span, min(CHUNK, count - start), rng)
        )
        log(f"  hazards {start + min(CHUNK, count - start)}/{count}")
    return count


def _hazard_rows(tenant_id: int, tree: Tree, span: Span, size: int, rng: np.random.Generator) -> list[tuple]:
    """Generate `size` hazards: found uniformly over the span, spread unevenly over the schools."""
    school = rng.choice(len(tree.school_ids), size=size, p=tree.school_weights)
    age = rng.integers(0, span.days, size)  # days before today
    found = np.datetime64(span.today, "D") - age
    category = rng.choice(len(CATEGORY_WEIGHTS), size=size, p=_p(CATEGORY_WEIGHTS))
    level = rng.choice(len(LEVEL_WEIGHTS), size=size, p=_p(LEVEL_WEIGHTS))
    source = rng.choice(len(SOURCE_WEIGHTS), size=size, p=_p(SOURCE_WEIGHTS))
    place = rng.integers(0, len(PLACES), size)
    problem = rng.integers(0, len(PROBLEMS), size)
    measure = rng.integers(0, len(MEASURES), size)
    person = rng.integers(0, len(PEOPLE), size)
    verifier = rng.integers(0, len(PEOPLE), size)

    has_deadline = rng.random(size) >= NO_DEADLINE_SHARE
    deadline_days = rng.integers(1, 31, size)
    status = np.where(
        age > RECENT_DAYS,
        rng.choice(len(STATUS_ORDER), size=size, p=OLD_STATUS_P),
        rng.choice(len(STATUS_ORDER), size=size, p=RECENT_STATUS_P),
    )
    late = rng.random(size) < LATE_RECTIFICATION_SHARE
    rectify_days = np.where(
        has_deadline,
        np.where(late, deadline_days + rng.integers(1, 16, size), rng.integers(0, deadline_days + 1)),
        rng.integers(0, 31, size),
    )
    rectify_days = np.minimum(np.minimum(rectify_days, MAX_RECTIFY_DAYS), age)  # never after today
    verify_days = np.minimum(rectify_days + rng.integers(0, MAX_VERIFY_DAYS + 1, size), age)
    is_verified = status == STATUS_ORDER.index("verified")
    is_closed = is_verified | (status == STATUS_ORDER.index("rectified"))
    is_escalated = status == STATUS_ORDER.index("escalated")
    is_major = level == list(LEVEL_WEIGHTS).index("major")

    # Recorded during the local working day it was found; last touched when it was last moved on.
    midnight = _local_midnights(found)
    now = int(span.now.timestamp())
    created = np.minimum(midnight + 8 * HOUR + rng.integers(0, 10 * HOUR, size), now)
    last_days = np.where(
        is_verified, verify_days, np.where(is_closed, rectify_days, np.minimum(age, rng.integers(0, 6, size)))
    )
    updated = np.maximum(created, midnight + last_days * DAY + 10 * HOUR + rng.integers(0, HOUR, size))
    updated = np.minimum(updated, now)

    nat = np.datetime64("NaT", "D")
    central = tree.school_centrals[school]
    return list(
        zip(
            [tenant_id] * size,
            tree.school_ids[school].tolist(),
            central.tolist(),
            found.tolist(),
            _pick(list(SOURCE_WEIGHTS), source),
            _pick(PLACES, place),
            _pick(list(CATEGORY_WEIGHTS), category),
            [False] * size,
            _pick(list(LEVEL_WEIGHTS), level),
            _pick(PROBLEMS, problem),
            _pick(MEASURES, measure, where=is_closed | (status == STATUS_ORDER.index("rectifying"))),
            _pick(PEOPLE, person),
            np.where(has_deadline, found + deadline_days, nat).tolist(),
            _pick(STATUS_ORDER, status),
            np.where(is_closed, found + rectify_days, nat).tolist(),
            _pick(PEOPLE, verifier, where=is_verified),
            np.where(is_verified, found + verify_days, nat).tolist(),
            # A major hazard goes to the bureau, any other to the school's central school.
            _optional(np.where(is_escalated, np.where(is_major, tree.bureau_id, central), 0)),
            _datetimes(created),
            _datetimes(updated),
            strict=True,
        )
    )


# --- monthly reports -------------------------------------------------------------------

SUBMISSION_COLUMNS = (
    "tenant_id",
    "org_unit_id",
    "reviewer_unit_id",
    "period",
    "version",
    "status",
    "snapshot",
    "narrative",
    "due_at",
    "submitted_at",
    "reviewed_at",
    "review_comment",
)


def report_periods(span: Span) -> list[date]:
    """Return the months whose reports exist: from the schools' creation month to the last ended one.

    Starting at the creation month, not at the span's first day, because reports are due from
    the month a school appears (bureau/flags/compute.py): a gap there would read as all missing.
    """
    period = span.created_at.astimezone(ZONE).date().replace(day=1)
    current = span.today.replace(day=1)
    periods = []
    while period < current:
        periods.append(period)
        period = _next_month(period)
    return periods


def due_at(period: date) -> datetime:
    """Return when the report of `period` is due, in UTC (as schools.submissions.due, default settings)."""
    following = _next_month(period)
    day = min(REPORT_DUE_DAY, (_next_month(following) - timedelta(days=1)).day)
    return datetime.combine(following.replace(day=day), DUE_TIME, ZONE).astimezone(UTC)


def _insert_submissions(tenant_id: int, tree: Tree, span: Span, rng: np.random.Generator) -> int:
    """Insert version 1 of each school's report of each month: mostly on time, some late, some missing."""
    submissions = Submission.__table__
    schools = len(tree.school_ids)
    now = int(span.now.timestamp())
    statuses = list(REVIEW_P)
    school_ids, reviewer_ids = tree.school_ids.tolist(), tree.school_centrals.tolist()
    total = 0
    for period in report_periods(span):
        due = due_at(period)
        due_s = int(due.timestamp())
        opens = int(datetime.combine(_next_month(period), clock(), ZONE).timestamp())
        fate = rng.random(schools)
        is_late = (fate >= REPORT_MISSING_SHARE) & (fate < REPORT_MISSING_SHARE + REPORT_LATE_SHARE)
        on_time = opens + (rng.random(schools) * (min(due_s, now) - opens)).astype(np.int64)
        submitted = np.where(is_late, due_s + rng.integers(1, 20 * DAY, schools), on_time)
        keep = (fate >= REPORT_MISSING_SHARE) & (submitted <= now)  # later ones are not in yet
        reviewed = submitted + rng.integers(HOUR, 5 * DAY, schools)
        status = rng.choice(len(statuses), size=schools, p=list(REVIEW_P.values()))
        status = np.where(reviewed > now, statuses.index("submitted"), status)
        is_reviewed = status != statuses.index("submitted")
        status_names = _pick(statuses, status)
        submitted_at, reviewed_at = _datetimes(submitted), _datetimes(reviewed, where=is_reviewed)
        rows = [
            (tenant_id, school_ids[i], reviewer_ids[i], period, 1, status_names[i], {}, "", due)
            + (submitted_at[i], reviewed_at[i], RETURN_COMMENT if status_names[i] == "returned" else None)
            for i in np.flatnonzero(keep).tolist()
        ]
        insert_rows(submissions, SUBMISSION_COLUMNS, rows)
        total += len(rows)
    return total


# --- flags -----------------------------------------------------------------------------

FLAG_COLUMNS = ("tenant_id", "org_unit_id", "kind", "subject", "details", "raised_at", "cleared_at")


def _insert_flags(tenant_id: int, tree: Tree, span: Span, rnd: random.Random) -> int:
    """Insert a few flags per school; hazard flags name a real overdue or major hazard of the school."""
    overdue, major = _flaggable_hazards(tenant_id, span.today)
    kinds, weights = list(FLAG_WEIGHTS), list(FLAG_WEIGHTS.values())
    start, now = span.created_at + timedelta(days=31), span.now - timedelta(hours=1)
    rows, open_keys = [], set()
    for school_id in tree.school_ids.tolist():
        for _n in range(rnd.randint(*FLAGS_PER_SCHOOL)):
            kind = rnd.choices(kinds, weights)[0]
            raised = start + timedelta(seconds=int((now - start).total_seconds() * rnd.random()))
            if kind == "hazard_overdue" and overdue[school_id]:
                hazard_id, deadline = rnd.choice(overdue[school_id])
                subject, raised = f"hazard:{hazard_id}", _local(deadline + timedelta(days=1), clock(0, 10))
            elif kind == "major_unverified" and major[school_id]:
                hazard_id, found_on = rnd.choice(major[school_id])
                subject, raised = f"hazard:{hazard_id}", _local(found_on, clock(9))
            elif kind == "grid_blind_spot":
                subject = f"cell:{rnd.randint(1, 100_000)}"
            elif kind == "notice_unanswered":
                subject = f"notice:{rnd.randint(1, 100_000)}"
            elif kind in OTHER_WORK_SUBJECTS:
                subject = OTHER_WORK_SUBJECTS[kind](raised.astimezone(ZONE).date(), rnd)
            else:
                kind = "report_overdue"  # also when the school has no hazard of the kind drawn
                subject = f"period:{_previous_month(raised.astimezone(ZONE).date()):%Y-%m}"
            raised = min(raised, now)
            cleared = None
            if rnd.random() < FLAG_CLEARED_SHARE:
                cleared = min(raised + timedelta(seconds=rnd.randint(HOUR, 60 * DAY)), span.now)
            elif (school_id, kind, subject) in open_keys:
                continue  # the flags engine keeps one open flag per unit, kind and subject
            else:
                open_keys.add((school_id, kind, subject))
            rows.append((tenant_id, school_id, kind, subject, {}, raised, cleared))
    insert_rows(Flag.__table__, FLAG_COLUMNS, rows)
    return len(rows)


def _flaggable_hazards(tenant_id: int, today: date) -> tuple[dict[int, list], dict[int, list]]:
    """Return per school the (id, deadline) of hazards rectified late or overdue, and (id, found_on) of majors."""
    hazards = Hazard.__table__
    late = and_(
        hazards.c.deadline.isnot(None),
        or_(
            hazards.c.rectified_on > hazards.c.deadline,
            and_(hazards.c.status.in_(OPEN_STATUSES), hazards.c.deadline < today),
        ),
    )
    rows = db.session.execute(
        select(hazards.c.id, hazards.c.org_unit_id, hazards.c.level, hazards.c.found_on, hazards.c.deadline)
        .where(hazards.c.tenant_id == tenant_id, or_(hazards.c.level == "major", late))
        .order_by(hazards.c.id)
    )
    overdue, major = defaultdict(list), defaultdict(list)
    for hazard_id, school_id, level, found_on, deadline in rows:
        if level == "major":
            major[school_id].append((hazard_id, found_on))
        if deadline is not None and deadline < today:
            overdue[school_id].append((hazard_id, deadline))
    return overdue, major


# --- writing rows ----------------------------------------------------------------------


def insert_rows(table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert tuples of `columns`: COPY on PostgreSQL, chunked executemany elsewhere."""
    if db.engine.dialect.name == "postgresql":
        json_columns = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
        driver = db.session.connection().connection.driver_connection  # the session's transaction
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                if json_columns:
                    row = tuple(json.dumps(v) if i in json_columns else v for i, v in enumerate(row))
                copy.write_row(row)
        return
    statement = table.insert()
    for batch in _batches(rows, 10_000):
        db.session.execute(statement, [dict(zip(columns, row, strict=True)) for row in batch])


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def vacuum(names: Iterable[str]) -> None:
    """VACUUM ANALYZE the tables (outside any transaction, as VACUUM requires)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for name in names:
            connection.exec_driver_sql(f"VACUUM ANALYZE {name}")


# --- small helpers ---------------------------------------------------------------------


@contextmanager
def _app_context(app: Flask) -> Iterator[None]:
    """Use the caller's app context (and its session) when it is this app's; else push one."""
    if has_app_context() and current_app._get_current_object() is app:
        yield
        return
    with app.app_context():
        yield


def _logger(verbose: bool):
    started = time.perf_counter()

    def log(message: str) -> None:
        if verbose:
            print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr, flush=True)

    return log


def _p(weights: dict[str, float]) -> np.ndarray:
    values = np.array(list(weights.values()), dtype=float)
    return values / values.sum()


def _pick(labels: Sequence[str], index: np.ndarray, where: np.ndarray | None = None) -> list[str | None]:
    """Return labels[index] as a list, None where `where` is False."""
    picked = np.array(labels, dtype=object)[index]
    if where is not None:
        picked[~where] = None
    return picked.tolist()


def _optional(ids: np.ndarray) -> list[int | None]:
    """Return ids as a list, None for 0."""
    return [value or None for value in ids.tolist()]


def _datetimes(seconds: np.ndarray, where: np.ndarray | None = None) -> list[datetime | None]:
    """Return aware UTC datetimes from epoch seconds, None where `where` is False."""
    values = [value.replace(tzinfo=UTC) for value in seconds.astype("datetime64[s]").tolist()]
    if where is not None:
        values = [value if keep else None for value, keep in zip(values, where.tolist(), strict=True)]
    return values


def _local_midnights(days: np.ndarray) -> np.ndarray:
    """Return the epoch seconds of local midnight of each day (the zone has one fixed offset)."""
    offset = int(ZONE.utcoffset(datetime(2000, 1, 1)).total_seconds())
    return days.astype("datetime64[s]").astype(np.int64) - offset


def _local(day: date, at: clock) -> datetime:
    return datetime.combine(day, at, ZONE).astimezone(UTC)


def _next_month(period: date) -> date:
    return date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def _previous_month(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


# --- command line ----------------------------------------------------------------------


def _counts(tenant_id: int) -> dict[str, int]:
    tables = (OrgUnit, OrgUnitParentPeriod, Hazard, Submission, Flag)
    return {
        model.__tablename__: db.session.scalar(
            select(func.count()).select_from(model.__table__).where(model.__table__.c.tenant_id == tenant_id)
        )
        for model in tables
    }


def main(argv: list[str] | None = None) -> None:
    """Create the schema if needed, build the tenant and print its row counts and the time taken."""
    from bureau.app import create_app
    from tenancy.config import TestConfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--code", default="bench")
    parser.add_argument("--schools", type=int, default=5000)
    parser.add_argument("--centrals", type=int, default=200)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=date.fromisoformat, default=datetime.now(ZONE).date())
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(TestConfig(args.database_url, None, Path(instance)))
        with app.app_context():
            db.create_all()  # only the missing tables, as the test fixture does on an empty database
            started = time.perf_counter()
            tenant_id = build_tenant(
                app,
                code=args.code,
                schools=args.schools,
                centrals=args.centrals,
                hazards=args.hazards,
                years=args.years,
                seed=args.seed,
                today=args.today,
                verbose=args.verbose,
            )
            seconds = time.perf_counter() - started
            print(f"tenant {args.code!r} id {tenant_id}, today {args.today}")
            for name, count in _counts(tenant_id).items():
                print(f"{name:24} {count:>10}")
            print(f"built in {seconds:.1f} s")
            db.session.close()
            db.engine.dispose()


if __name__ == "__main__":
    main()
