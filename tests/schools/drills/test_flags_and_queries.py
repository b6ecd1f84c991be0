"""drill_missed flags raised and cleared through the flags engine; what is due; compliance counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bureau.flags.models import Flag
from bureau.flags.operations import refresh_all, refresh_unit
from schools.drills import operations
from schools.drills.queries import drill_compliance, drills_due
from tenancy.extensions import db
from tests.schools.drills.conftest import add_drill

# 10 February 2026, 09:00 in Beijing: the autumn 2025 semester ended on 20 January.
NOW = datetime(2026, 2, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()


def _drill_flags(unit) -> dict[str, dict]:
    return {
        flag.subject: flag.details
        for flag in db.session.scalars(
            select(Flag).where(
                Flag.org_unit_id == unit.id, Flag.kind == "drill_missed", Flag.cleared_at.is_(None)
            )
        )
    }


def _fire_every_month(school, first=date(2025, 2, 1), last=date(2026, 1, 31)):
    day = first.replace(day=10)
    while day <= last:
        add_drill(school, day, "fire")
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 10)


def test_missed_obligations_of_the_last_twelve_months_raise_flags(alpha, old_schools):
    school = alpha.unit("S11")
    _fire_every_month(school)
    db.session.delete(
        db.session.scalar(select(operations.Drill).where(operations.Drill.held_on == date(2025, 10, 10)))
    )
    refresh_unit(school, NOW)
    flags = _drill_flags(school)
    assert flags == {"drills:month:2025-10": {"label": "2025年10月 月度演练", "ended_on": "2025-10-31"}}


def test_a_drill_recorded_later_inside_the_period_clears_the_flag(alpha, old_schools):
    school = alpha.unit("S11")
    _fire_every_month(school)
    add_drill(school, date(2025, 3, 5), "evacuation")
    db.session.delete(
        db.session.scalar(select(operations.Drill).where(operations.Drill.held_on == date(2025, 11, 10)))
    )
    refresh_unit(school, NOW)
    assert set(_drill_flags(school)) == {"drills:month:2025-11"}
    operations.record_drill(
        school,
        {
            "held_on": date(2025, 11, 28),
            "kind": "other",
            "participants": 300,
            "duration_minutes": 10,
            "problems": "无",
        },
    )
    refresh_unit(school, NOW)
    assert _drill_flags(school) == {}
    assert (
        db.session.scalar(select(Flag).where(Flag.subject == "drills:month:2025-11")).cleared_at is not None
    )


def test_a_semester_without_a_fire_or_disaster_drill_is_flagged(alpha, old_schools):
    school = alpha.unit("S12")  # kindergarten: quarterly, plus the semester rule
    for day in (date(2025, 2, 20), date(2025, 5, 20), date(2025, 8, 20), date(2025, 11, 20)):
        add_drill(school, day, "evacuation")
    add_drill(school, date(2025, 4, 1), "earthquake")
    refresh_unit(school, NOW)
    assert _drill_flags(school) == {
        "drills:semester:2025-09-01": {"label": "2025年秋季学期 消防或自然灾害演练", "ended_on": "2026-01-20"}
    }


def test_a_year_old_gap_and_running_periods_raise_nothing(alpha, old_schools):
    school = alpha.unit("S21")
    refresh_unit(school, NOW)
    flags = _drill_flags(school)
    assert "drills:month:2025-01" not in flags  # ended more than twelve months ago
    assert "drills:month:2025-02" not in flags  # no term days in February
    assert "drills:month:2025-03" in flags
    assert "drills:month:2026-02" not in flags and "drills:month:2026-01" in flags
    assert flags["drills:semester:2025-03-01"]["ended_on"] == "2025-07-10"


def test_new_grade_group_and_closed_units_have_no_drill_flags(alpha, old_schools):
    refresh_all(NOW)
    assert _drill_flags(alpha.unit("D1-G1")) == {} and _drill_flags(alpha.unit("C1")) == {}
    assert _drill_flags(alpha.unit("D1")) != {}
    school = alpha.unit("S21")
    school.is_active = False
    refresh_all(NOW)
    assert _drill_flags(school) == {}


def test_a_school_added_recently_owes_nothing_before(alpha):
    school = alpha.unit("S11")  # created now: nothing is owed for past periods
    refresh_unit(school, NOW)
    assert _drill_flags(school) == {}


def test_drills_due_and_compliance(alpha, old_schools):
    school = alpha.unit("S11")
    add_drill(school, date(2025, 9, 12), "fire")
    add_drill(school, date(2025, 10, 9), "evacuation")
    due = {o.key: o.status for o in drills_due(school, date(2025, 12, 15))}
    assert due["month:2025-12"] == "due" and "semester:2025-09-01" not in due  # met by the fire drill
    assert due["month:2025-11"] == "missed" and "month:2025-10" not in due
    counts = drill_compliance(school, date(2025, 9, 1), date(2026, 8, 31), today=date(2025, 12, 15))
    # September, October met (and the autumn semester, met by the fire drill but still running);
    # November missed; December running.
    assert counts == {"required": 4, "met": 3, "missed": 1, "due": 1}


def test_grade_groups_cannot_record(alpha):
    with pytest.raises(operations.DrillError) as error:
        operations.record_drill(
            alpha.unit("D1-G1"),
            {
                "held_on": date(2025, 11, 28),
                "kind": "fire",
                "participants": 30,
                "duration_minutes": 10,
                "problems": "无",
            },
        )
    assert error.value.field == "school_id"
