"""Every legal and illegal step, and who may take which."""

from datetime import date

import pytest
from sqlalchemy import select

from schools.hazards.lifecycle import KEEPER, RECEIVER, REVIEWER, SCHOOL, STEPS
from schools.hazards.models import Hazard, HazardEvent
from schools.hazards.operations import HazardError, HazardInput, report_hazard, take_step
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit, User
from tenancy.scoping import tenant_context

STATUSES = ("open", "rectifying", "rectified", "verified", "escalated")
LEGAL = {(status, name) for name, step in STEPS.items() for status in step.sources}
ALL_CAPACITIES = {SCHOOL, KEEPER, REVIEWER, RECEIVER}


@pytest.fixture
def ctx(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        yield


def _school(code="S11") -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def _hazard(status: str | None, level: str = "general", school: str = "S11") -> Hazard:
    """Report a hazard, then force it into `status` (None keeps what reporting gave)."""
    hazard = report_hazard(
        _school(school),
        HazardInput(
            found_on=date(2026, 3, 2),
            location="食堂",
            category="food",
            description="冰柜温度异常",
            level=level,
        ),
    )
    if status is not None:
        hazard.status = status
    if status == "escalated":
        hazard.escalated_to_id = _school(school).parent_id
    db.session.flush()
    return hazard


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("name", sorted(STEPS))
def test_only_legal_steps_are_taken(ctx, status, name):
    hazard = _hazard(status)
    events_before = len(hazard.events)
    if (status, name) in LEGAL:
        take_step(hazard, name, ALL_CAPACITIES, note="理由", on=date(2026, 3, 5))
        assert hazard.status == STEPS[name].target
        event = hazard.events[-1]
        assert (event.action, event.from_status, event.to_status) == (name, status, STEPS[name].target)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == f"hazard.{name}")) is not None
    else:
        with pytest.raises(HazardError):
            take_step(hazard, name, ALL_CAPACITIES, note="理由", on=date(2026, 3, 5))
        assert hazard.status == status and len(hazard.events) == events_before


@pytest.mark.parametrize(
    ("name", "status", "allowed"),
    [
        ("start", "open", {SCHOOL, KEEPER}),
        ("rectify", "rectifying", {SCHOOL, KEEPER}),
        ("verify", "rectified", {SCHOOL, REVIEWER}),
        ("reject", "rectified", {SCHOOL, REVIEWER}),
        ("escalate", "open", {SCHOOL}),
        ("resolve", "escalated", {RECEIVER}),
        ("send_back", "escalated", {RECEIVER}),
    ],
)
def test_who_may_take_each_step(ctx, name, status, allowed):
    for capacity in ALL_CAPACITIES:
        hazard = _hazard(status)
        if capacity in allowed:
            take_step(hazard, name, {capacity}, note="理由", on=date(2026, 3, 5))
        else:
            with pytest.raises(PermissionError):
                take_step(hazard, name, {capacity}, note="理由", on=date(2026, 3, 5))


def test_steps_that_need_a_reason_refuse_without_one(ctx):
    for name, status in (("escalate", "open"), ("reject", "rectified"), ("send_back", "escalated")):
        with pytest.raises(HazardError, match="note|理由|说明"):
            take_step(_hazard(status), name, ALL_CAPACITIES, note="  ")


def test_verification_needs_another_person(ctx, world):
    user = db.session.get(User, world.alpha_users["school11"])
    hazard = _hazard("rectifying")
    take_step(hazard, "rectify", {SCHOOL}, user=user, on=date(2026, 3, 4))
    with pytest.raises(HazardError):
        take_step(hazard, "verify", {SCHOOL}, user=user, on=date(2026, 3, 5))
    other = db.session.get(User, world.alpha_users["reviewer1"])
    take_step(hazard, "verify", {REVIEWER}, user=other, on=date(2026, 3, 5), note="复查合格")
    assert (
        hazard.status == "verified"
        and hazard.verifier_id == other.id
        and hazard.verified_on == date(2026, 3, 5)
    )


def test_rectification_dates_are_checked(ctx):
    hazard = _hazard("rectifying")
    with pytest.raises(HazardError):
        take_step(hazard, "rectify", {SCHOOL}, on=date(2026, 3, 1))  # before it was found
    with pytest.raises(HazardError):
        take_step(_hazard("rectifying"), "rectify", {SCHOOL})  # no date


def test_major_hazard_goes_to_the_bureau_and_stays_supervised_until_verified(ctx, world):
    hazard = _hazard(None, level="major")
    assert hazard.status == "escalated" and hazard.escalated_to_id == world.alpha.bureau_id
    assert [e.action for e in hazard.events] == ["report", "escalate"]
    take_step(hazard, "send_back", {RECEIVER}, note="请学校先行整改")
    assert hazard.under_supervision
    take_step(hazard, "rectify", {SCHOOL}, on=date(2026, 3, 9))
    take_step(hazard, "verify", {REVIEWER}, on=date(2026, 3, 10))
    assert not hazard.under_supervision


def test_escalation_goes_to_the_central_school_or_the_bureau(ctx, world):
    hazard = _hazard("open")
    take_step(hazard, "escalate", {SCHOOL}, note="超出学校能力")
    assert hazard.escalated_to_id == world.alpha_orgs["C1"]
    direct = _hazard("open", school="D1")
    take_step(direct, "escalate", {SCHOOL}, note="需局协调")
    assert direct.escalated_to_id == world.alpha.bureau_id
    bureau = _hazard("open")
    take_step(bureau, "escalate", {SCHOOL}, note="直报", to_bureau=True)
    assert bureau.escalated_to_id == world.alpha.bureau_id


def test_overdue_is_derived(ctx):
    hazard = _hazard("rectifying")
    hazard.deadline = date(2026, 3, 10)
    assert hazard.is_overdue(date(2026, 3, 11)) and not hazard.is_overdue(date(2026, 3, 10))
    hazard.status = "rectified"
    assert not hazard.is_overdue(date(2026, 4, 1))
    assert "overdue" not in {column.name for column in Hazard.__table__.columns}


def test_history_is_kept_in_order(ctx):
    hazard = _hazard("open")
    take_step(hazard, "start", {SCHOOL})
    take_step(hazard, "rectify", {SCHOOL}, on=date(2026, 3, 3))
    take_step(hazard, "reject", {REVIEWER}, note="未彻底整改")
    actions = db.session.scalars(
        select(HazardEvent.action).where(HazardEvent.hazard_id == hazard.id).order_by(HazardEvent.id)
    ).all()
    assert actions == ["report", "start", "rectify", "reject"]
    assert hazard.rectified_on is None
