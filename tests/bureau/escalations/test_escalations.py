"""The escalation queue: what waits where, coordination notes, resolve, send back, forward, and who may."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bureau.review.escalations.operations import coordinate, take_step
from bureau.review.escalations.queries import escalation_queue, receiving_units
from schools.hazards.access import capacities
from schools.hazards.lifecycle import RECEIVER, SCHOOL
from schools.hazards.models import HazardEvent
from schools.hazards.operations import HazardError, HazardInput, report_hazard
from schools.hazards.operations import take_step as hazard_step
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit, User
from tenancy.scoping import tenant_context


def _unit(code: str) -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def _user(world, name: str) -> User:
    return db.session.get(User, world.alpha_users[name])


def _escalated(
    school: str = "S11", description: str = "配电房线路老化", *, level: str = "general", to_bureau=False
):
    hazard = report_hazard(
        _unit(school),
        HazardInput(
            found_on=date(2026, 3, 2),
            location="配电房",
            category="utility",
            description=description,
            level=level,
        ),
    )
    if hazard.status != "escalated":
        hazard_step(hazard, "escalate", {SCHOOL}, note="超出学校能力", to_bureau=to_bureau)
    return hazard


@pytest.fixture
def ctx(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        yield


def _queue(code: str) -> list[str]:
    return [row[0].description for row in db.session.execute(escalation_queue(_unit(code)))]


def test_each_level_queues_what_was_escalated_to_it(ctx, world):
    _escalated("S11", "配电房线路老化")
    _escalated("S21", "河堤护栏缺失")
    _escalated("D1", "实验室通风故障")  # a directly-run school escalates to the bureau
    _escalated("S12", "围墙倾斜", to_bureau=True)
    _escalated("S11", "教学楼主体裂缝", level="major")  # a major hazard goes to the bureau at once
    assert _queue("C1") == ["配电房线路老化"]
    assert _queue("C2") == ["河堤护栏缺失"]
    assert set(_queue("ALPHA")) == {"实验室通风故障", "围墙倾斜", "教学楼主体裂缝"}
    assert [u.code for u in receiving_units(_user(world, "reviewer1"))] == ["C1"]
    assert [u.code for u in receiving_units(_user(world, "staff"))] == ["ALPHA"]
    assert receiving_units(_user(world, "school11")) == []


def test_the_queue_puts_the_longest_waiting_first(ctx):
    newer = _escalated("S11", "新上报")
    older = _escalated("S11", "早上报")
    db.session.flush()
    for event in db.session.scalars(
        select(HazardEvent).where(HazardEvent.hazard_id == older.id, HazardEvent.action == "escalate")
    ):
        event.at -= timedelta(days=9)
    db.session.flush()
    rows = db.session.execute(escalation_queue(_unit("C1"))).all()
    assert [row[0].id for row in rows] == [older.id, newer.id]
    assert rows[0].arrived_at < rows[1].arrived_at


@pytest.mark.parametrize(
    ("name", "receives"),
    [
        ("reviewer1", True),
        ("staff", True),
        ("admin", True),
        ("reviewer2", False),
        ("school11", False),
        ("viewer", False),
    ],
)
def test_who_receives_a_hazard_escalated_to_a_central_school(ctx, world, name, receives):
    hazard = _escalated("S11")
    assert (RECEIVER in capacities(hazard, _user(world, name))) is receives


def test_forward_sends_it_to_the_bureau_once(ctx, world):
    hazard = _escalated("S11")
    with pytest.raises(HazardError) as caught:
        take_step(hazard, "forward", {RECEIVER}, note="  ")
    assert caught.value.field == "note" and hazard.escalated_to_id == world.alpha_orgs["C1"]
    take_step(hazard, "forward", {RECEIVER}, user=_user(world, "reviewer1"), note="需局里协调供电部门")
    assert hazard.status == "escalated" and hazard.escalated_to_id == world.alpha.bureau_id
    assert hazard.events[-1].action == "forward" and hazard.events[-1].note == "需局里协调供电部门"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hazard.forward")) is not None
    assert _queue("C1") == [] and _queue("ALPHA") == ["配电房线路老化"]
    # The central school is no longer the receiver; the bureau has no level above it.
    assert RECEIVER not in capacities(hazard, _user(world, "reviewer1"))
    with pytest.raises(HazardError) as caught:
        take_step(hazard, "forward", {RECEIVER}, note="再上报")
    assert caught.value.field == "step" and hazard.events[-1].action == "forward"


def test_forward_is_a_receivers_step_and_only_for_escalated_hazards(ctx):
    hazard = _escalated("S11")
    with pytest.raises(PermissionError):
        take_step(hazard, "forward", {SCHOOL}, note="上报")
    waiting = report_hazard(
        _unit("S11"),
        HazardInput(found_on=date(2026, 3, 2), location="操场", category="building", description="看台"),
    )
    with pytest.raises(HazardError):
        take_step(waiting, "forward", {RECEIVER}, note="上报")


def test_resolve_records_the_coordinated_rectification(ctx, world):
    hazard = _escalated("S11")
    with pytest.raises(HazardError):
        take_step(hazard, "resolve", {RECEIVER}, note="已协调整改")  # no date
    with pytest.raises(HazardError):
        take_step(
            _escalated("S11"), "resolve", {RECEIVER}, note="已协调整改", on=date(2026, 3, 1)
        )  # before found
    hazard = _escalated("S11", "第三条")
    take_step(
        hazard,
        "resolve",
        {RECEIVER},
        user=_user(world, "reviewer1"),
        note="供电所已改造线路",
        on=date(2026, 3, 9),
    )
    assert hazard.status == "rectified" and hazard.rectified_on == date(2026, 3, 9)
    assert "第三条" not in _queue("C1")


def test_send_back_needs_a_reason_and_returns_it_to_the_school(ctx):
    hazard = _escalated("S11")
    with pytest.raises(HazardError):
        take_step(hazard, "send_back", {RECEIVER}, note="")
    take_step(hazard, "send_back", {RECEIVER}, note="属学校自身能力范围，请自行整改")
    assert hazard.status == "rectifying" and _queue("C1") == []


def test_the_queue_takes_only_its_own_steps(ctx):
    hazard = _escalated("S11")
    for name in ("verify", "start", "escalate", "nonsense"):
        with pytest.raises(HazardError) as caught:
            take_step(hazard, name, {RECEIVER, SCHOOL}, note="x", on=date(2026, 3, 9))
        assert caught.value.field == "step"
    assert hazard.status == "escalated"


def test_coordination_notes_are_kept_in_the_history_and_audited(ctx, world):
    hazard = _escalated("S11")
    coordinate(hazard, "  已电话联系镇供电所，约定周三现场查看  ", {RECEIVER})
    event = hazard.events[-1]
    assert (event.action, event.from_status, event.to_status) == ("coordinate", "escalated", "escalated")
    assert event.note == "已电话联系镇供电所，约定周三现场查看"
    assert hazard.status == "escalated"
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hazard.coordinate"))
    assert audit.object_id == str(hazard.id)


@pytest.mark.parametrize("note", ["", "   ", "长" * 2001], ids=["empty", "blank", "too-long"])
def test_a_coordination_note_must_say_something(ctx, note):
    hazard = _escalated("S11")
    with pytest.raises(HazardError) as caught:
        coordinate(hazard, note, {RECEIVER})
    assert caught.value.field == "note" and hazard.events[-1].action == "escalate"


def test_coordination_is_for_the_receiver_of_a_waiting_hazard(ctx):
    hazard = _escalated("S11")
    with pytest.raises(PermissionError):
        coordinate(hazard, "联系", {SCHOOL})
    take_step(hazard, "send_back", {RECEIVER}, note="退回")
    with pytest.raises(HazardError):
        coordinate(hazard, "联系", {RECEIVER})
