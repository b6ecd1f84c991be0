"""The duty roster: the duty_gap flags of the coming week, saving days and months, copy last week."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bureau.flags.operations import refresh_all, refresh_unit
from schools.duty import operations as ops
from schools.duty.models import DutyDay
from schools.duty.operations import DayInput
from schools.duty.queries import duty_gaps, duty_on, today_board
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.orgs.operations import set_active
from tenancy.settings.store import tenant_today
from tests.bureau.flags.helpers import flags_of, open_flags

FULL = {
    "duty_person": "张老师",
    "duty_phone": "138 0000 0000",
    "leader": "王校长",
    "leader_phone": "0731-1234567",
}


def _fill(alpha, code, offsets, **values):
    school = alpha.unit(code)
    today = tenant_today()
    return ops.save_days(
        school, [DayInput(day=today + timedelta(days=n), **(FULL | values)) for n in offsets]
    )


def _gap_days(code="S11") -> set[str]:
    return {subject for _code, _kind, subject in open_flags(code, "duty_gap")}


def test_a_school_without_a_roster_is_flagged_for_today_through_day_seven(alpha):
    today = tenant_today()
    refresh_unit(alpha.unit("S11"))
    assert _gap_days() == {f"duty:{today + timedelta(days=n)}" for n in range(8)}  # day 8 is not yet due
    [flag] = flags_of(f"duty:{today}")
    assert flag.details == {"day": today.isoformat(), "missing": ["person", "leader"]}


def test_window_boundaries_today_day_seven_and_day_eight(alpha):
    today = tenant_today()
    _fill(alpha, "S11", range(1, 7))  # days 1–6 covered; today and day 7 open; day 8 never counts
    refresh_unit(alpha.unit("S11"))
    assert _gap_days() == {f"duty:{today}", f"duty:{today + timedelta(days=7)}"}
    _fill(alpha, "S11", [0, 7])
    refresh_unit(alpha.unit("S11"))
    assert _gap_days() == set()
    assert duty_gaps([alpha.unit("S11")], today) == {}
    # Tomorrow the window moves: day 8 becomes day 7 and is a gap.
    assert duty_gaps([alpha.unit("S11")], today + timedelta(days=1)) == {
        alpha.unit("S11").id: [(today + timedelta(days=8), ["person", "leader"])]
    }


def test_holidays_need_duty_and_a_half_filled_day_names_what_is_missing(alpha):
    today = tenant_today()
    _fill(alpha, "S11", range(8))
    school = alpha.unit("S11")
    ops.save_day(school, DayInput(day=today + timedelta(days=2), is_holiday=True, note="国庆节"))
    ops.save_day(school, DayInput(day=today + timedelta(days=3), duty_person="张老师", is_holiday=True))
    refresh_unit(school)
    assert flags_of(f"duty:{today + timedelta(days=2)}")[0].details["missing"] == ["person", "leader"]
    assert flags_of(f"duty:{today + timedelta(days=3)}")[0].details["missing"] == ["leader"]
    ops.save_day(school, DayInput(day=today + timedelta(days=2), is_holiday=True, **FULL))
    ops.save_day(school, DayInput(day=today + timedelta(days=3), is_holiday=True, **FULL))
    refresh_unit(school)
    assert _gap_days() == set()  # filled holidays clear their flags
    assert [flag.cleared_at is not None for flag in flags_of(f"duty:{today + timedelta(days=3)}")] == [True]


def test_only_active_schools_with_a_roster_are_flagged(alpha):
    set_active(alpha.unit("S21"), False)
    refresh_all()
    flagged = {code for code, _kind, _subject in open_flags(kind="duty_gap")}
    assert flagged == {"S11", "S12", "D1"}  # not the bureau, central schools, the grade group or closed S21


def test_duty_on_and_the_today_board(alpha, world):
    today = tenant_today()
    _fill(alpha, "S11", [0])
    assert duty_on(alpha.unit("S11"), today).duty_person == "张老师"
    assert duty_on(alpha.unit("S12"), today) is None
    board = {row.school.code: row for row in today_board(today, alpha.user("reviewer1"))}
    assert set(board) == {"S11", "S12"}
    assert board["S11"].missing_today == [] and len(board["S11"].gap_days) == 7
    assert board["S12"].missing_today == ["person", "leader"]


def test_saving_again_replaces_and_an_empty_day_clears(alpha):
    school = alpha.unit("S11")
    day = tenant_today()
    row, created = ops.save_day(school, DayInput(day=day, **FULL))
    assert created
    again, created = ops.save_day(school, DayInput(day=day, **(FULL | {"leader": "李副校长"})))
    assert (again.id, again.leader, created) == (row.id, "李副校长", False)
    assert ops.save_day(school, DayInput(day=day)) == (None, False)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("duty_day.%"))).all()
    assert actions == ["duty_day.create", "duty_day.update", "duty_day.delete"]
    assert ops.save_days(school, [DayInput(day=day)]) == 0  # nothing to clear: nothing audited


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"duty_phone": "138-abc"}, "duty_phone", "138-abc is not a phone number"),
        ({"leader_phone": "1"}, "leader_phone", "is not a phone number"),
        ({"duty_person": "", "duty_phone": "13800000000"}, "duty_phone", "needs the name beside it"),
        ({"leader": "长" * 61}, "leader", "at most 60 characters"),
        ({"note": "注" * 501}, "note", "at most 500 characters"),
    ],
)
def test_bad_days_are_refused_naming_the_day(alpha, values, field, message):
    day = tenant_today() + timedelta(days=3)
    good = DayInput(day=tenant_today(), **FULL)
    with pytest.raises(ops.RosterError) as error:
        ops.save_days(alpha.unit("S11"), [good, DayInput(day=day, **(FULL | values))])
    assert error.value.field == f"{day}.{field}" and message in str(error.value)
    assert str(error.value).startswith(day.isoformat())
    assert db.session.scalar(select(func.count()).select_from(DutyDay)) == 0  # the good row was not written


def test_grade_groups_and_closed_schools_keep_no_roster(alpha):
    with pytest.raises(ops.DutyError) as error:
        ops.save_day(alpha.unit("D1-G1"), DayInput(day=tenant_today(), **FULL))
    assert error.value.field == "school_id"
    set_active(alpha.unit("S12"), False)
    with pytest.raises(ops.DutyError):
        ops.save_day(alpha.unit("S12"), DayInput(day=tenant_today(), **FULL))


def test_copy_last_week_fills_only_empty_days(alpha):
    school = alpha.unit("S11")
    today = tenant_today()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    ops.save_days(
        school,
        [
            DayInput(day=monday - timedelta(days=7 - n), **(FULL | {"duty_person": f"老师{n}"}))
            for n in range(7)
        ],
    )
    ops.save_day(school, DayInput(day=monday, **(FULL | {"duty_person": "已排"})))
    assert ops.copy_week(school, monday) == 6
    assert duty_on(school, monday).duty_person == "已排"
    assert duty_on(school, monday + timedelta(days=3)).duty_person == "老师3"
    assert ops.copy_week(school, monday) == 0
