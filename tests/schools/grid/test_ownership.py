"""The handover rule and the ownership invariants: no gap, no two primary owners on a day."""

from datetime import date, time

import pytest

from schools.grid import operations
from schools.grid.models import ownership_problems
from schools.grid.queries import owners_on
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.settings.store import tenant_today
from tests.schools.grid.helpers import audit_count, make_cell

D = date.fromisoformat


def _primary(cell, day):
    found = cell.primary_on(day)
    return found.staff.name if found else None


def test_handover_old_owner_through_the_date_new_owner_from_the_next_day(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    new = operations.hand_over(cell, people.li, D("2025-01-15"))
    db.session.commit()
    assert new.starts_on == D("2025-01-16") and new.ends_on is None
    assert _primary(cell, D("2025-01-15")) == "张三"
    assert _primary(cell, D("2025-01-16")) == "李四"
    assert [p.staff.name for p in owners_on(cell, D("2025-01-15"))] == ["张三"]
    assert ownership_problems(cell) == []


def test_handover_on_the_day_the_owner_started_means_they_covered_exactly_that_day(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    operations.hand_over(cell, people.li, D("2024-10-01"))
    operations.hand_over(cell, people.wang, D("2024-10-02"))  # 李四 started on 10-02
    db.session.commit()
    li = next(p for p in cell.ownerships if p.staff is people.li)
    assert (li.starts_on, li.ends_on) == (D("2024-10-02"), D("2024-10-02"))
    assert _primary(cell, D("2024-10-02")) == "李四"
    assert _primary(cell, D("2024-10-03")) == "王五"
    assert ownership_problems(cell) == []


def test_back_dated_handover_is_refused_naming_the_dates_and_people(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    operations.hand_over(cell, people.li, D("2024-12-31"))
    db.session.commit()
    with pytest.raises(operations.GridError) as refused:
        operations.hand_over(cell, people.wang, D("2024-12-30"))  # before 李四 started on 2025-01-01
    db.session.rollback()
    message = str(refused.value)
    assert "2024-12-30" in message and "2025-01-01" in message and "李四" in message
    assert refused.value.field == "handover_on"
    assert len(cell.ownerships) == 2 and _primary(cell, D("2025-02-01")) == "李四"


def test_handover_to_the_current_owner_is_refused(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    db.session.commit()
    with pytest.raises(operations.GridError, match="张三"):
        operations.hand_over(cell, people.zhang, D("2024-10-01"))
    db.session.rollback()
    assert len(cell.ownerships) == 1 and cell.ownerships[0].ends_on is None


def test_handover_needs_a_first_owner_and_a_first_owner_only_once(s11, people):
    cell = make_cell(s11)
    with pytest.raises(operations.GridError, match="first owner"):
        operations.hand_over(cell, people.li, D("2024-10-01"))
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    with pytest.raises(operations.GridError, match="handover"):
        operations.assign_first_owner(cell, people.li, D("2024-10-01"))


def test_deputies_may_overlap_each_other_and_the_owner(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    operations.add_deputy(cell, people.li, D("2024-09-01"))
    operations.add_deputy(cell, people.wang, D("2024-10-01"), D("2024-12-31"))
    db.session.commit()
    on_day = owners_on(cell, D("2024-11-11"))
    assert [(p.staff.name, p.is_primary) for p in on_day] == [
        ("张三", True),
        ("李四", False),
        ("王五", False),
    ]
    assert ownership_problems(cell) == []


def test_a_deputy_cannot_overlap_themselves_or_be_the_primary_owner_on_the_same_day(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    operations.add_deputy(cell, people.li, D("2024-09-01"), D("2024-12-31"))
    with pytest.raises(operations.GridError, match="twice on 2024-12-01"):
        operations.add_deputy(cell, people.li, D("2024-12-01"))
    db.session.rollback()
    with pytest.raises(operations.GridError, match="primary owner .* on 2024-09-01"):
        operations.add_deputy(cell, people.zhang, D("2024-09-01"))
    db.session.rollback()
    with pytest.raises(operations.GridError, match="before it starts"):
        operations.add_deputy(cell, people.wang, D("2024-10-01"), D("2024-09-30"))


def test_handing_over_to_a_deputy_ends_their_deputy_period(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    deputy = operations.add_deputy(cell, people.li, D("2024-09-01"))
    operations.hand_over(cell, people.li, D("2024-12-31"))
    db.session.commit()
    assert deputy.ends_on == D("2024-12-31")
    assert _primary(cell, D("2025-01-01")) == "李四"


def test_end_deputy(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    deputy = operations.add_deputy(cell, people.li, D("2024-09-01"))
    with pytest.raises(operations.GridError, match="2024-08-31"):
        operations.end_deputy(deputy, D("2024-08-31"))
    operations.end_deputy(deputy, D("2024-09-30"))
    assert deputy.ends_on == D("2024-09-30")
    with pytest.raises(operations.GridError, match="already ended on 2024-09-30"):
        operations.end_deputy(deputy, D("2024-10-30"))
    with pytest.raises(operations.GridError):
        operations.end_deputy(cell.latest_primary, D("2024-10-30"))


@pytest.mark.parametrize(
    ("periods", "fragment"),
    [
        ([("张三", "2024-09-01", "2024-09-30"), ("李四", "2024-09-30", None)], "both be primary owner"),
        (
            [("张三", "2024-09-01", None), ("李四", "2024-10-01", None)],
            "李四 would both be primary owner of 教学楼 on 2024-10-01",
        ),
        (
            [("张三", "2024-09-01", "2024-09-30"), ("李四", "2024-10-03", None)],
            "from 2024-10-01 to 2024-10-02",
        ),
        ([("张三", "2024-09-01", "2024-09-30")], "no primary owner from 2024-10-01 on"),
        ([("张三", "2024-09-10", "2024-09-01")], "before it starts"),
    ],
    ids=["overlap-one-day", "overlap-open", "gap", "open-end-gap", "ends-before-start"],
)
def test_ownership_problems_names_the_day_and_the_people(s11, people, periods, fragment):
    from schools.grid.models import CellOwnership

    cell = make_cell(s11)
    staff = {"张三": people.zhang, "李四": people.li}
    for name, start, end in periods:
        cell.ownerships.append(
            CellOwnership(
                org_unit_id=s11.id,
                staff=staff[name],
                is_primary=True,
                starts_on=D(start),
                ends_on=D(end) if end else None,
            )
        )
    problems = ownership_problems(cell)
    assert problems and fragment in problems[0], problems
    db.session.rollback()


def test_closing_a_cell_ends_its_owners_and_blocks_changes(s11, people):
    cell = make_cell(s11)
    inner = make_cell(s11, name="一楼", kind="floor", parent=cell)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    operations.add_deputy(cell, people.li, D("2024-09-01"))
    with pytest.raises(operations.GridError, match="一楼"):
        operations.close_cell(cell, D("2024-12-31"))
    operations.close_cell(inner, D("2024-12-31"))
    operations.close_cell(cell, D("2024-12-31"))
    db.session.commit()
    assert not cell.is_active and cell.closed_on == D("2024-12-31")
    assert {p.ends_on for p in cell.ownerships} == {D("2024-12-31")}
    assert ownership_problems(cell) == []
    with pytest.raises(operations.GridError, match="closed"):
        operations.hand_over(cell, people.wang, D("2025-01-01"))
    with pytest.raises(operations.GridError, match="already closed"):
        operations.close_cell(cell, D("2024-12-31"))


def test_closing_in_the_future_or_before_the_owner_started_is_refused(s11, people):
    cell = make_cell(s11)
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    operations.hand_over(cell, people.li, D("2024-10-31"))
    with pytest.raises(operations.GridError, match="future"):
        operations.close_cell(cell, date(tenant_today().year + 1, 1, 1))
    with pytest.raises(operations.GridError, match="2024-11-01"):
        operations.close_cell(cell, D("2024-10-15"))  # 李四 starts on 11-01


def test_staff_must_work_at_the_school_and_be_active(s11, people):
    cell = make_cell(s11)
    with pytest.raises(operations.GridError, match="赵六"):
        operations.assign_first_owner(cell, people.elsewhere, D("2024-09-01"))
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    with pytest.raises(operations.GridError, match="张三 is still responsible for 教学楼"):
        operations.update_staff(
            people.zhang, name="张三", phone="", position="", user=people.zhang.user, is_active=False
        )
    operations.update_staff(people.wang, name="王五", phone="", position="", user=None, is_active=False)
    with pytest.raises(operations.GridError, match="no longer active"):
        operations.hand_over(cell, people.wang, D("2024-10-01"))


def test_a_back_dated_first_owner_moves_the_opening_day(s11, people):
    cell = make_cell(s11, opened_on=D("2024-09-01"))
    operations.assign_first_owner(cell, people.zhang, D("2024-03-01"))
    assert cell.opened_on == D("2024-03-01")


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"name": ""}, "name", "name"),
        ({"name": "a/b"}, "name", "/"),
        ({"name": "x" * 81}, "name", "80"),
        ({"kind": "castle"}, "kind", "castle"),
        ({"is_key_area": True, "key_area_kind": None}, "key_area_kind", "key area"),
        ({"kind": "time"}, "starts_at", "time-axis"),
        ({"kind": "time", "starts_at": "08:10", "ends_at": "07:30"}, "ends_at", "07:30"),
        ({"kind": "time", "starts_at": "08:10", "ends_at": "08:10"}, "ends_at", "end after"),
        ({"kind": "room", "starts_at": "07:30", "ends_at": "08:10"}, "starts_at", "Only time-axis"),
        ({"name": "教学楼"}, "name", "already has a cell named 教学楼"),
    ],
    ids=[
        "empty",
        "slash",
        "too-long",
        "unknown-kind",
        "key-area-kind",
        "time-missing",
        "time-reversed",
        "time-equal",
        "times-on-room",
        "duplicate-sibling",
    ],
)
def test_bad_cell_values_are_refused(s11, people, values, field, fragment):
    make_cell(s11)
    db.session.commit()
    arguments = {"name": "食堂", "kind": "outdoor", **values}
    for key in ("starts_at", "ends_at"):
        if isinstance(arguments.get(key), str):
            arguments[key] = time.fromisoformat(arguments[key])
    with pytest.raises(operations.GridError) as refused:
        operations.create_cell(s11, **arguments)
    assert refused.value.field == field and fragment in str(refused.value)


def test_a_cell_cannot_move_inside_itself(s11):
    outer = make_cell(s11)
    inner = make_cell(s11, name="一楼", kind="floor", parent=outer)
    with pytest.raises(operations.GridError, match="inside itself"):
        operations.update_cell(
            outer,
            name="教学楼",
            kind="building",
            parent=inner,
            is_key_area=False,
            key_area_kind=None,
            starts_at=None,
            ends_at=None,
        )


def test_a_staff_login_must_be_a_grid_keeper_of_the_school_used_once(s11, people, world):
    from tenancy.models import User

    school11 = db.session.get(User, world.alpha_users["school11"])
    with pytest.raises(operations.GridError, match="school11"):
        operations.create_staff(s11, name="孙七", user=school11)
    with pytest.raises(operations.GridError, match="张三"):
        operations.create_staff(s11, name="孙七", user=people.zhang.user)
    with pytest.raises(operations.GridError, match="phone"):
        operations.create_staff(s11, name="孙七", phone="=cmd|calc")


def test_every_change_is_audited(s11, people):
    cell = make_cell(s11)
    operations.update_cell(
        cell,
        name="主教学楼",
        kind="building",
        parent=None,
        is_key_area=False,
        key_area_kind=None,
        starts_at=None,
        ends_at=None,
    )
    morning = make_cell(s11, name="早晨到校", kind="time", starts_at=time(7, 30), ends_at=time(8, 10))
    operations.assign_first_owner(cell, people.zhang, D("2024-09-01"))
    deputy = operations.add_deputy(cell, people.li, D("2024-09-01"))
    operations.end_deputy(deputy, D("2024-09-30"))
    operations.hand_over(cell, people.wang, D("2024-12-31"))
    operations.close_cell(morning, D("2024-12-31"))
    operations.update_staff(people.li, name="李四", phone="13900000002", position="保安", user=None)
    db.session.commit()
    for action in (
        "grid_staff.create",
        "grid_staff.update",
        "grid_cell.create",
        "grid_cell.update",
        "grid_cell.assign_owner",
        "grid_cell.add_deputy",
        "grid_cell.end_deputy",
        "grid_cell.hand_over",
        "grid_cell.close",
    ):
        assert audit_count(action) >= 1, action
    from sqlalchemy import select

    handover = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grid_cell.hand_over"))
    assert handover.object_type == "GridCell" and handover.object_id == str(cell.id)
    assert handover.changes["handover_on"]["after"] == "2024-12-31"
    assert "王五" in handover.changes["primary_owner"]["after"]
    created = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "grid_cell.create", AuditEvent.object_id == str(morning.id)
        )
    )
    assert created.changes["starts_at"]["after"] == "07:30"
