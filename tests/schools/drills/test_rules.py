"""The frequency rules as pure functions: boundaries of months, quarters and semesters."""

from datetime import date
from types import SimpleNamespace

import pytest

from schools.drills.rules import obligations, year_before
from tests.schools.drills.conftest import DEFAULT_SEMESTERS

LONG_AGO = date(2020, 1, 1)


def held(*drills):
    return [SimpleNamespace(id=n, held_on=day, kind=kind) for n, (day, kind) in enumerate(drills, start=1)]


def by_key(kind, first, last, drills=(), today=date(2030, 1, 1), opened_on=LONG_AGO, setting=None, **more):
    found = obligations(kind, opened_on, first, last, drills, today, setting or DEFAULT_SEMESTERS, **more)
    return {o.key: o for o in found}


def test_a_drill_on_the_last_day_of_a_month_meets_that_month_not_the_next():
    found = by_key("primary", date(2026, 9, 1), date(2026, 10, 31), held((date(2026, 9, 30), "evacuation")))
    assert found["month:2026-09"].status == "met" and found["month:2026-09"].met_by == [1]
    assert found["month:2026-10"].status == "missed"


def test_a_drill_on_the_first_day_of_a_month_meets_that_month_only():
    found = by_key("junior_middle", date(2026, 9, 1), date(2026, 10, 31), held((date(2026, 10, 1), "other")))
    assert found["month:2026-09"].status == "missed"
    assert found["month:2026-10"].status == "met"


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 9, 30), "due"),
        (date(2026, 10, 1), "missed"),
        (date(2026, 9, 1), "due"),
        (date(2026, 8, 31), "upcoming"),
    ],
)
def test_a_month_is_due_through_its_last_day_and_missed_the_day_after(today, status):
    assert (
        by_key("primary", date(2026, 9, 1), date(2026, 9, 30), today=today)["month:2026-09"].status == status
    )


def test_months_without_term_days_are_not_owed():
    found = by_key("primary", date(2026, 1, 1), date(2026, 12, 31))
    months = sorted(key for key in found if key.startswith("month:"))
    assert "month:2026-02" not in months and "month:2026-08" not in months
    assert {"month:2026-01", "month:2026-07", "month:2026-09", "month:2026-12"} <= set(months)
    assert len(months) == 10


def test_a_spring_starting_in_february_makes_february_owed():
    setting = DEFAULT_SEMESTERS | {"spring_start": "02-20"}
    assert "month:2026-02" in by_key("primary", date(2026, 2, 1), date(2026, 2, 28), setting=setting)


def test_kindergartens_drill_quarterly_with_calendar_quarter_boundaries():
    drills = held((date(2026, 3, 31), "evacuation"), (date(2026, 7, 1), "other"))
    found = by_key("kindergarten", date(2026, 1, 1), date(2026, 12, 31), drills, today=date(2027, 1, 1))
    assert not any(key.startswith("month:") for key in found)
    assert found["quarter:2026-Q1"].status == "met"
    assert found["quarter:2026-Q2"].status == "missed"  # 31 March belongs to Q1, not Q2
    assert found["quarter:2026-Q3"].status == "met" and found["quarter:2026-Q3"].met_by == [2]
    assert found["quarter:2026-Q4"].status == "missed"
    assert found["quarter:2026-Q2"].chinese_label == "2026年第2季度 季度演练"


def test_the_semester_rule_counts_fire_and_natural_disasters_only():
    spring = (date(2026, 3, 1), date(2026, 7, 10))
    for kind, status in [
        ("evacuation", "missed"),
        ("other", "missed"),
        ("fire", "met"),
        ("earthquake", "met"),
        ("flood", "met"),
    ]:
        found = by_key("primary", *spring, held((date(2026, 4, 15), kind)), today=date(2026, 7, 11))
        assert found["semester:2026-03-01"].status == status, kind
        assert found["month:2026-04"].status == "met"  # every kind counts for the month


def test_kindergartens_owe_the_semester_drill_too():
    found = by_key(
        "kindergarten", date(2026, 3, 1), date(2026, 7, 10), held((date(2026, 5, 5), "evacuation"))
    )
    assert found["semester:2026-03-01"].status == "missed"
    assert found["semester:2026-03-01"].chinese_label == "2026年春季学期 消防或自然灾害演练"


@pytest.mark.parametrize(
    ("day", "status"),
    [(date(2027, 1, 20), "met"), (date(2027, 1, 21), "missed"), (date(2026, 8, 31), "missed")],
)
def test_the_autumn_semester_runs_into_the_new_year(day, status):
    found = by_key(
        "primary", date(2026, 9, 1), date(2027, 8, 31), held((day, "fire")), today=date(2027, 9, 1)
    )
    autumn = found["semester:2026-09-01"]
    assert (autumn.first, autumn.last) == (date(2026, 9, 1), date(2027, 1, 20))
    assert autumn.status == status
    assert autumn.chinese_label == "2026年秋季学期 消防或自然灾害演练"


def test_the_autumn_semester_is_due_until_its_last_day_in_january():
    found = by_key("primary", date(2026, 9, 1), date(2027, 8, 31), today=date(2027, 1, 20))
    assert found["semester:2026-09-01"].status == "due"
    assert found["month:2027-01"].status == "due"


@pytest.mark.parametrize(
    ("opened_on", "owes_october", "owes_autumn"),
    [
        (date(2026, 10, 15), False, False),  # opened mid-month and mid-semester: partial periods owe nothing
        (date(2026, 10, 1), True, False),  # opened on the month's first day: the month is owed
        (date(2026, 9, 1), True, True),
        (date(2026, 9, 2), True, False),
    ],
)
def test_a_school_opened_mid_term_owes_only_whole_periods(opened_on, owes_october, owes_autumn):
    found = by_key("primary", date(2026, 9, 1), date(2027, 1, 31), opened_on=opened_on)
    assert ("month:2026-10" in found) is owes_october
    assert ("semester:2026-09-01" in found) is owes_autumn
    assert "month:2026-11" in found


def test_a_kindergarten_opened_mid_quarter_owes_from_the_next_quarter():
    found = by_key("kindergarten", date(2026, 1, 1), date(2026, 12, 31), opened_on=date(2026, 5, 10))
    assert "quarter:2026-Q2" not in found and "quarter:2026-Q3" in found


@pytest.mark.parametrize("kind", ["grade_group", "central", "bureau"])
def test_units_that_drill_with_others_owe_nothing(kind):
    assert by_key(kind, date(2026, 1, 1), date(2026, 12, 31)) == {}


def test_closed_units_owe_nothing():
    assert by_key("primary", date(2026, 1, 1), date(2026, 12, 31), is_active=False) == {}


@pytest.mark.parametrize(
    "kind",
    [
        "primary",
        "junior_middle",
        "senior_high",
        "complete_middle",
        "nine_year",
        "twelve_year",
        "vocational",
        "special",
        "teaching_point",
    ],
)
def test_primary_and_secondary_kinds_drill_monthly(kind):
    assert "month:2026-10" in by_key(kind, date(2026, 10, 1), date(2026, 10, 31))


def test_a_range_holds_the_periods_ending_in_it():
    """Consecutive ranges never count a period twice: the autumn semester belongs to January's year."""
    year_2026 = by_key("primary", date(2026, 1, 1), date(2026, 12, 31))
    year_2027 = by_key("primary", date(2027, 1, 1), date(2027, 12, 31))
    assert "semester:2025-09-01" in year_2026 and "semester:2026-09-01" not in year_2026
    assert "semester:2026-09-01" in year_2027
    assert not set(year_2026) & set(year_2027)


def test_keys_and_labels():
    found = by_key("primary", date(2026, 10, 1), date(2026, 10, 31))
    assert found["month:2026-10"].chinese_label == "2026年10月 月度演练"


def test_year_before_a_leap_day():
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert year_before(date(2026, 11, 25)) == date(2025, 11, 25)
