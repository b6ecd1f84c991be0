"""Zero-report windows and daily reports through the operations, the flag rule and the completeness table."""

from datetime import UTC, date, time, timedelta

import pytest
from sqlalchemy import func, select

from bureau.flags.models import Flag
from bureau.flags.operations import refresh_all, refresh_unit
from schools.zeroreports import operations, queries
from schools.zeroreports.models import ZeroReport, ZeroReportWindow
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tests.schools.zeroreports.conftest import ITEMS, local, make_window

D = date(2026, 3, 10)  # the first day of the windows below


def open_flags(unit, kind="zero_report_missing") -> dict[str, dict]:
    return {
        flag.subject: flag.details
        for flag in db.session.scalars(
            select(Flag).where(Flag.org_unit_id == unit.id, Flag.kind == kind, Flag.cleared_at.is_(None))
        )
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def report(window, school, day, values=None, when=None, note=""):
    return operations.submit_report(window, school, day, values or {}, note, now=when or local(day, 10))[0]


# --- the deadline, to the minute -----------------------------------------------------------------


def test_missing_exactly_after_the_deadline_minute(alpha):
    s11 = alpha.unit("S11")
    window = make_window(D)
    refresh_unit(s11, local(D, 16, 0, 59))
    assert open_flags(s11) == {}
    refresh_unit(s11, local(D, 16, 1, 0))
    assert open_flags(s11) == {
        f"zeroreport:{window.id}:2026-03-10": {
            "window_id": window.id,
            "title": "秋冬季传染病防控日报",
            "day": "2026-03-10",
            "deadline": "2026-03-10 16:00",
        }
    }


def test_report_in_the_deadline_minute_is_on_time_and_one_second_later_is_late(alpha):
    window = make_window(D)
    on_time = report(window, alpha.unit("S11"), D, when=local(D, 16, 0, 59))
    late = report(window, alpha.unit("S12"), D, when=local(D, 16, 1, 0))
    assert (on_time.is_late, late.is_late) == (False, True)
    assert (on_time.state, late.state) == ("zero", "late")


def test_late_report_is_accepted_marked_and_clears_the_flag(alpha):
    s11 = alpha.unit("S11")
    window = make_window(D)
    refresh_unit(s11, local(D + timedelta(days=1), 9))
    assert list(open_flags(s11)) == [f"zeroreport:{window.id}:2026-03-10"]
    late = report(window, s11, D, {"发热人数": 2}, when=local(D + timedelta(days=1), 9, 30))
    assert late.is_late and not late.is_zero and late.values == {"因病缺课人数": 0, "发热人数": 2}
    refresh_unit(s11, local(D + timedelta(days=1), 10))
    assert open_flags(s11) == {}


def test_deadline_is_local_time_in_the_tenants_zone(alpha):
    window = make_window(D, deadline=time(0, 30))
    # 00:30 in Shanghai is 16:30 UTC the day before.
    assert operations.rules.due_at(window, D, local(D).tzinfo).astimezone(UTC).hour == 16


# --- switching on and off ------------------------------------------------------------------------


def test_switch_off_ends_the_window_today_and_clears_its_flags(alpha):
    s11 = alpha.unit("S11")
    window = make_window(D)  # open-ended
    day3 = D + timedelta(days=2)
    refresh_unit(s11, local(day3, 17))
    assert len(open_flags(s11)) == 3
    operations.switch_off(window, now=local(day3, 17, 30))
    assert (window.status, window.ends_on, window.phase(day3)) == ("ended", day3, "switched_off")
    refresh_unit(s11, local(day3 + timedelta(days=3), 17))
    assert open_flags(s11) == {}
    # The switch-off day is still required, the days after are not.
    days = [day3 - timedelta(days=1), day3, day3 + timedelta(days=1)]
    table = queries.completeness(window, s11, days, local(day3 + timedelta(days=3), 17))
    assert [cell.state for cell in table.rows[0].cells] == ["missing", "missing", "not_required"]
    assert queries.window_days(window, day3 + timedelta(days=5))[-1] == day3
    with pytest.raises(operations.ZeroReportError, match="Report a day from 2026-03-10 to 2026-03-12"):
        report(window, s11, day3 + timedelta(days=1), when=local(day3 + timedelta(days=3), 9))
    # A day before the switch-off can still be reported late.
    assert report(window, s11, day3, when=local(day3 + timedelta(days=3), 9)).is_late
    with pytest.raises(operations.ZeroReportConflict):
        operations.switch_off(window, now=local(day3, 18))
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "ZeroReportWindow"))
    assert list(events) == ["zeroreport_window.open", "zeroreport_window.switch_off"]


def test_window_that_has_not_started_asks_nothing(alpha):
    s11 = alpha.unit("S11")
    make_window(D + timedelta(days=5))
    refresh_unit(s11, local(D + timedelta(days=4), 20))
    assert open_flags(s11) == {}


def test_window_switched_on_after_the_deadline_starts_the_next_day(alpha):
    s11 = alpha.unit("S11")
    window = operations.open_window(
        title="防汛期间每日零报告",
        starts_on=D,
        ends_on=None,
        deadline=time(16),
        items=["险情数量"],
        now=local(D, 17),
    )
    refresh_unit(s11, local(D + timedelta(days=1), 17))
    assert list(open_flags(s11)) == [f"zeroreport:{window.id}:2026-03-11"]


def test_change_end_removes_later_days_and_refuses_the_past(alpha):
    s11 = alpha.unit("S11")
    window = make_window(D, ends_on=D + timedelta(days=30))
    operations.change_end(window, D + timedelta(days=1), now=local(D, 12))
    assert window.ends_on == D + timedelta(days=1)
    refresh_unit(s11, local(D + timedelta(days=4), 17))
    assert sorted(open_flags(s11)) == [
        f"zeroreport:{window.id}:2026-03-10",
        f"zeroreport:{window.id}:2026-03-11",
    ]
    with pytest.raises(operations.ZeroReportError, match="cannot be in the past") as error:
        operations.change_end(window, D, now=local(D + timedelta(days=1), 9))
    assert error.value.field == "ends_on"
    with pytest.raises(operations.ZeroReportConflict, match="over"):
        operations.change_end(window, D + timedelta(days=9), now=local(D + timedelta(days=3), 9))
    operations.change_end(window, None, now=local(D + timedelta(days=1), 9))  # open-ended
    assert window.ends_on is None


# --- who must report -----------------------------------------------------------------------------


def test_school_created_mid_window_reports_from_its_first_day(alpha):
    s11, s12 = alpha.unit("S11"), alpha.unit("S12")
    window = make_window(D)
    s11.created_at = local(D + timedelta(days=2), 10)  # before that day's deadline: that day counts
    s12.created_at = local(D + timedelta(days=2), 16, 30)  # after it: from the next day
    db.session.flush()
    now = local(D + timedelta(days=3), 17)
    refresh_unit(s11, now)
    refresh_unit(s12, now)
    assert sorted(open_flags(s11)) == [
        f"zeroreport:{window.id}:2026-03-12",
        f"zeroreport:{window.id}:2026-03-13",
    ]
    assert sorted(open_flags(s12)) == [f"zeroreport:{window.id}:2026-03-13"]
    with pytest.raises(operations.ZeroReportError, match="from 2026-03-13"):
        report(window, s12, D + timedelta(days=2), when=now)


def test_only_the_target_is_flagged(alpha):
    window = make_window(D, targets=[alpha.unit("C1"), alpha.unit("S11")])  # S11 lies in C1: dropped
    assert [target.unit.code for target in window.targets] == ["C1"]
    refresh_all(local(D, 17))
    flagged = {
        flag.org_unit_id
        for flag in db.session.scalars(select(Flag).where(Flag.kind == "zero_report_missing"))
    }
    assert flagged == {alpha.unit("S11").id, alpha.unit("S12").id}
    with pytest.raises(operations.ZeroReportError, match="not in this window's target") as error:
        report(window, alpha.unit("S21"), D)
    assert error.value.field == "school_id"


def test_grade_groups_and_closed_schools_never_report(alpha):
    window = make_window(D)
    alpha.unit("S12").is_active = False
    db.session.flush()
    refresh_all(local(D, 17))
    flagged = {
        flag.org_unit_id
        for flag in db.session.scalars(select(Flag).where(Flag.kind == "zero_report_missing"))
    }
    assert flagged == {alpha.unit(code).id for code in ("S11", "S21", "D1")}
    with pytest.raises(operations.ZeroReportError, match="grade groups"):
        report(window, alpha.unit("D1-G1"), D)


def test_gaps_older_than_seven_days_are_not_chased(alpha):
    s11 = alpha.unit("S11")
    window = make_window(D)
    refresh_unit(s11, local(D + timedelta(days=9), 17))  # days 10..19 missing; flags for 13..19
    assert sorted(open_flags(s11)) == [
        f"zeroreport:{window.id}:{(D + timedelta(days=n)).isoformat()}" for n in range(3, 10)
    ]


def test_future_days_cannot_be_reported(alpha):
    window = make_window(D)
    with pytest.raises(operations.ZeroReportError, match="future") as error:
        report(window, alpha.unit("S11"), D + timedelta(days=1), when=local(D, 23, 59))
    assert error.value.field == "day"


# --- values and corrections ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "item"),
    [
        ({"发热人数": -1}, "发热人数"),
        ({"发热人数": 1.5}, "发热人数"),
        ({"发热人数": "1.5"}, "发热人数"),
        ({"因病缺课人数": "three"}, "因病缺课人数"),
        ({"因病缺课人数": True}, "因病缺课人数"),
        ({"因病缺课人数": 10_000_000}, "因病缺课人数"),
        ({"迟到人数": 1}, "迟到人数"),
    ],
)
def test_bad_values_name_the_item_and_write_nothing(alpha, values, item):
    window = make_window(D)
    with pytest.raises(operations.ZeroReportError) as error:
        report(window, alpha.unit("S11"), D, values)
    assert error.value.field == "values" and error.value.item == item and item in str(error.value)
    assert count(ZeroReport) == 0


def test_text_counts_from_a_form_are_read_and_missing_items_are_zero(alpha):
    window = make_window(D)
    made = report(window, alpha.unit("S11"), D, {"因病缺课人数": " 3 "})
    assert made.values == {"因病缺课人数": 3, "发热人数": 0} and not made.is_zero
    assert report(window, alpha.unit("S12"), D, {}).is_zero


def test_correction_before_and_after_the_deadline(alpha):
    s11, s12 = alpha.unit("S11"), alpha.unit("S12")
    window = make_window(D)
    first = report(window, s11, D, {"发热人数": 1}, when=local(D, 10))
    again, created = operations.submit_report(window, s11, D, {"发热人数": 2}, "复核后更正", now=local(D, 11))
    assert (again.id, created, again.values["发热人数"], again.is_late) == (first.id, False, 2, False)
    after, _ = operations.submit_report(window, s11, D, {"发热人数": 3}, now=local(D, 18))
    assert after.is_late is False and after.updated_at == local(D, 18)  # on time stays on time
    late = report(window, s12, D, when=local(D, 17))
    operations.submit_report(window, s12, D, {"发热人数": 1}, now=local(D, 15, 0) + timedelta(days=1))
    assert late.is_late  # late stays late
    actions = list(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "ZeroReport"))
    )
    assert actions == [
        "zeroreport.submit",
        "zeroreport.correct",
        "zeroreport.correct",
        "zeroreport.submit",
        "zeroreport.correct",
    ]
    correction = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "zeroreport.correct"))
    assert correction.changes["values"]["before"]["发热人数"] == 1
    assert correction.changes["values"]["after"]["发热人数"] == 2
    # The same values again change nothing and leave no event.
    operations.submit_report(window, s11, D, {"发热人数": 3}, now=local(D, 19))
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "zeroreport.correct")
        )
        == 3
    )


# --- opening a window: bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "title"),
        ({"title": "长" * 121}, "title", "At most 120"),
        ({"starts_on": None}, "starts_on", "first day"),
        ({"starts_on": D - timedelta(days=1)}, "starts_on", "today or later"),
        ({"starts_on": D + timedelta(days=91)}, "starts_on", "within 90 days"),
        ({"ends_on": D - timedelta(days=1)}, "ends_on", "before the start"),
        ({"ends_on": D + timedelta(days=366)}, "ends_on", "at most 366 days"),
        ({"deadline": None}, "deadline", "deadline"),
        ({"items": ""}, "items", "at least one item"),
        ({"items": ["发热人数", "发热人数"]}, "items", "named twice"),
        ({"items": [f"项目{n}" for n in range(11)]}, "items", "At most 10"),
        ({"items": ["长" * 31]}, "items", "at most 30"),
        ({"target_units": []}, "target_unit_ids", "at least one"),
    ],
)
def test_bad_window_input_names_the_field_and_writes_nothing(alpha, changes, field, message):
    values = {
        "title": "防汛期间每日零报告",
        "starts_on": D,
        "ends_on": None,
        "deadline": time(16),
        "items": ITEMS,
        "target_units": None,
    } | changes
    with pytest.raises(operations.ZeroReportError, match=message) as error:
        operations.open_window(**values, now=local(D, 8))
    assert error.value.field == field
    assert count(ZeroReportWindow) == 0


@pytest.mark.parametrize(("code", "message"), [("D1-G1", "cannot be a target"), ("S21", "closed")])
def test_grade_groups_and_closed_units_cannot_be_targets(alpha, code, message):
    alpha.unit("S21").is_active = False
    with pytest.raises(operations.ZeroReportError, match=message):
        make_window(D, targets=[alpha.unit(code)])


def test_the_bureau_as_target_means_all_schools(alpha):
    window = make_window(D, targets=[alpha.unit("ALPHA")])
    assert window.covers_all and window.targets == []


# --- the completeness table -----------------------------------------------------------------------


def test_completeness_against_a_hand_count(alpha):
    s11, s12, s21, d1 = (alpha.unit(code) for code in ("S11", "S12", "S21", "D1"))
    window = make_window(D)
    day2, day3 = D + timedelta(days=1), D + timedelta(days=2)
    s21.created_at = local(day2, 9)  # S21 joins on day 2
    db.session.flush()
    report(window, s11, D, {"发热人数": 4}, when=local(D, 15))  # reported
    report(window, s12, D, when=local(D, 15))  # zero
    report(window, d1, D, when=local(D, 20))  # late
    report(window, s11, day2, when=local(day2, 15))  # zero
    report(window, s21, day2, when=local(day3, 8))  # late
    report(window, s11, day3, when=local(day3, 9))  # zero, day 3 still open
    now = local(day3, 12)
    table = queries.completeness(window, None, [D, day2, day3], now)
    states = {row.school.code: [cell.state for cell in row.cells] for row in table.rows}
    assert states == {
        "D1": ["late", "missing", "pending"],
        "S11": ["reported", "zero", "zero"],
        "S12": ["zero", "missing", "pending"],
        "S21": ["not_required", "late", "pending"],
    }
    figures = [(t.reported, t.required, t.late, t.missing, t.pending, t.percent) for t in table.totals]
    assert figures == [(3, 3, 1, 0, 0, 100.0), (2, 4, 1, 2, 0, 50.0), (1, 4, 0, 0, 3, 25.0)]
    summary = table.summary()
    assert (summary["required"], summary["reported"], summary["on_time"], summary["percent"]) == (
        11,
        6,
        4,
        54.5,
    )
    # A central school's table has its own schools only.
    c1 = queries.completeness(window, alpha.unit("C1"), [D], now)
    assert [row.school.code for row in c1.rows] == ["S11", "S12"]
    assert (c1.totals[0].reported, c1.totals[0].required) == (2, 2)


def test_active_windows_for_a_school(alpha):
    s11, s21 = alpha.unit("S11"), alpha.unit("S21")
    everyone = make_window(D)
    c1_only = make_window(D, targets=[alpha.unit("C1")], title="城关片区日报")
    later = make_window(D + timedelta(days=3))
    operations.switch_off(later, now=local(D, 9))
    assert queries.active_windows_for(s11, D) == [everyone, c1_only]
    assert queries.active_windows_for(s21, D) == [everyone]
    assert queries.active_windows_for(alpha.unit("D1-G1"), D) == []
