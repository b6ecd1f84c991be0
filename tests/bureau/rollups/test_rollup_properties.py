"""The rollups are right: incremental refreshes after random changes equal a full rebuild, and
both equal the figures computed from scratch by the oracle (tests/bureau/rollups/oracle.py)."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from bureau.flags.models import Flag
from bureau.rollups.models import CATEGORY_FIGURES, UNIT_FIGURES, CategoryMonth, UnitMonth
from bureau.rollups.refresh import category_owner, make_scope, rebuild_all, refresh_categories, refresh_unit
from schools.hazards.codes import CATEGORIES
from schools.hazards.models import Hazard
from schools.submissions.due import due_at
from schools.submissions.models import Submission
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.operations import move_org, set_active
from tenancy.scoping import tenant_context
from tests.bureau.rollups.oracle import oracle

NOW = datetime(2026, 6, 17, 3, 30, tzinfo=UTC)  # 11:30 in Beijing, mid-month
SCHOOLS = ("S11", "S12", "S21", "D1", "D1-G1")
STATUSES = ("open", "rectifying", "escalated", "rectified", "verified")

day_offsets = st.integers(min_value=0, max_value=300)  # days before today
hazard_values = st.fixed_dictionaries(
    {
        "school": st.sampled_from(SCHOOLS),
        "found_ago": day_offsets,
        "category": st.sampled_from(list(CATEGORIES)[:4]),
        "level": st.sampled_from(("general", "general", "serious", "major")),
        "deadline_after": st.one_of(st.none(), st.integers(min_value=-2, max_value=12)),
        "status": st.sampled_from(STATUSES),
        # days after the deadline (or after finding, without one): -1, 0, 1 are the edges of "on time"
        "rectified_after": st.one_of(
            st.none(), st.sampled_from((-1, 0, 1)), st.integers(min_value=-3, max_value=90)
        ),
        "verified_after": st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
    }
)
change = st.one_of(
    st.tuples(st.just("hazard"), hazard_values),
    st.tuples(st.just("edit"), st.integers(min_value=0, max_value=50), hazard_values),
    st.tuples(
        st.just("report"),
        st.sampled_from(("S11", "S12", "S21", "D1")),
        st.integers(min_value=1, max_value=8),  # months back
        st.integers(min_value=-200, max_value=200),  # hours after the due time
        st.sampled_from(("submitted", "approved", "returned")),
    ),
    st.tuples(
        st.just("flag"),
        st.sampled_from(SCHOOLS),
        st.integers(min_value=0, max_value=200),
        st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    ),
    st.tuples(st.just("move"), st.sampled_from(("S12", "S21"))),
    st.tuples(st.just("close"), st.sampled_from(("S12", "S21"))),
)


def _unit(code: str) -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def _clip(day, today):
    return min(day, today) if day else day


def _hazard_fields(values: dict, today) -> dict:
    found = today - timedelta(days=values["found_ago"])
    deadline = (
        found + timedelta(days=values["deadline_after"]) if values["deadline_after"] is not None else None
    )
    rectified = (
        _clip((deadline or found) + timedelta(days=values["rectified_after"]), today)
        if values["rectified_after"] is not None
        else None
    )
    verified = (
        _clip((rectified or found) + timedelta(days=values["verified_after"]), today)
        if values["verified_after"] is not None
        else None
    )
    return {
        "org_unit_id": _unit(values["school"]).id,
        "found_on": found,
        "category": values["category"],
        "level": values["level"],
        "deadline": deadline,
        "status": values["status"],
        "rectified_on": rectified,
        "verified_on": verified,
    }


def _apply(step, today) -> list[OrgUnit]:
    """Make one change; return the units a job would refresh for it."""
    kind = step[0]
    if kind == "hazard":
        fields = _hazard_fields(step[1], today)
        db.session.add(Hazard(location="教学楼", description="测试隐患", **fields))
        return [db.session.get(OrgUnit, fields["org_unit_id"])]
    if kind == "edit":
        hazards = db.session.scalars(select(Hazard).order_by(Hazard.id)).all()
        if not hazards:
            return []
        hazard = hazards[step[1] % len(hazards)]
        before = db.session.get(OrgUnit, hazard.org_unit_id)
        for name, value in _hazard_fields(step[2], today).items():
            setattr(hazard, name, value)
        return [before, db.session.get(OrgUnit, hazard.org_unit_id)]
    if kind == "report":
        _, code, back, hours, status = step
        school = _unit(code)
        period = (today.replace(day=1) - timedelta(days=28 * back)).replace(day=1)
        versions = (
            db.session.scalar(
                select(Submission.version)
                .where(Submission.org_unit_id == school.id, Submission.period == period)
                .order_by(Submission.version.desc())
            )
            or 0
        )
        due = due_at(period)
        db.session.add(
            Submission(
                org_unit_id=school.id,
                reviewer_unit_id=school.parent_id,
                period=period,
                version=versions + 1,
                status=status,
                snapshot={},
                due_at=due,
                submitted_at=min(due + timedelta(hours=hours), NOW),
            )
        )
        return [school]
    if kind == "flag":
        _, code, raised_ago, open_days = step
        raised = NOW - timedelta(days=raised_ago, hours=7)
        cleared = min(raised + timedelta(days=open_days), NOW) if open_days is not None else None
        db.session.add(
            Flag(
                org_unit_id=_unit(code).id,
                kind="hazard_overdue",
                subject="hazard:0",
                raised_at=raised,
                cleared_at=cleared,
            )
        )
        return [_unit(code)]
    if kind == "move":
        school = _unit(step[1])
        old_parent = school.parent
        new_parent = _unit("C2" if old_parent.code == "C1" else "C1")
        move_org(school, new_parent)
        return [old_parent, new_parent]
    if kind == "close":
        school = _unit(step[1])
        set_active(school, not school.is_active)
        return [school]
    raise AssertionError(kind)


def _tables() -> tuple[dict, dict]:
    units = {
        (row.org_unit_id, row.period): Counter({n: getattr(row, n) for n in UNIT_FIGURES if getattr(row, n)})
        for row in db.session.scalars(select(UnitMonth))
    }
    categories = {
        (row.org_unit_id, row.period, row.category): Counter(
            {n: getattr(row, n) for n in CATEGORY_FIGURES if getattr(row, n)}
        )
        for row in db.session.scalars(select(CategoryMonth))
    }
    return units, categories


@pytest.fixture
def alpha(app, world):
    """An app context in tenant alpha whose units have been on the platform for a year."""
    with app.app_context(), tenant_context(world.alpha.id):
        db.session.execute(update(OrgUnit).values(created_at=NOW - timedelta(days=365)))
        db.session.commit()
        yield world
        db.session.rollback()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(change, min_size=1, max_size=12))
def test_incremental_refreshes_equal_the_full_rebuild_and_the_oracle(alpha, steps):
    try:
        rebuild_all(now=NOW)
        today = make_scope(now=NOW).today
        for step in steps:
            units = _apply(step, today)
            db.session.flush()
            for unit in units:  # what the flags job, then the rollups jobs, do after a change
                refresh_unit(unit, now=NOW)
                refresh_categories(category_owner(unit), now=NOW)
        incremental = _tables()
        rebuild_all(now=NOW)
        full = _tables()
        assert incremental == full
        assert full == oracle(NOW, make_scope(now=NOW).zone)
    finally:
        db.session.rollback()
