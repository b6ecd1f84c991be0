"""The semester setting: checking four MM-DD dates and the semesters and school years they make."""

from datetime import date

import pytest

from tenancy.settings.semesters import school_year, semester_problems, semesters_between
from tests.schools.drills.conftest import DEFAULT_SEMESTERS


@pytest.fixture(autouse=True)
def english(alpha):
    """Messages come from gettext: run inside the app (English)."""


def test_the_defaults_are_fine():
    assert semester_problems(DEFAULT_SEMESTERS) == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"spring_start": "3-1"}, "spring_start"),
        ({"spring_end": "07-32"}, "spring_end"),
        ({"autumn_start": "13-01"}, "autumn_start"),
        ({"autumn_end": "02-29"}, "autumn_end"),  # not a day of every year
        ({"autumn_end": ""}, "autumn_end"),
        ({"spring_end": "02-01"}, "spring_end"),  # ends before it starts
        ({"autumn_start": "07-01"}, "autumn_start"),  # starts inside spring
        ({"autumn_end": "03-15"}, "autumn_end"),  # runs into the next spring
        ({"autumn_end": "09-01"}, "autumn_end"),  # ends the day it starts
    ],
)
def test_bad_semesters_name_the_field(change, field):
    problems = semester_problems(DEFAULT_SEMESTERS | change)
    assert list(problems) == [field]


@pytest.mark.parametrize("autumn_end", ["12-31", "02-28", "01-01"])
def test_autumn_may_end_this_year_or_cross_the_new_year(autumn_end):
    assert semester_problems(DEFAULT_SEMESTERS | {"spring_start": "03-01", "autumn_end": autumn_end}) == {}


def test_semesters_between_gives_concrete_semesters():
    found = semesters_between(date(2026, 1, 1), date(2026, 12, 31), DEFAULT_SEMESTERS)
    assert [(s.start, s.end, s.name) for s in found] == [
        (date(2025, 9, 1), date(2026, 1, 20), "autumn"),
        (date(2026, 3, 1), date(2026, 7, 10), "spring"),
        (date(2026, 9, 1), date(2027, 1, 20), "autumn"),
    ]
    assert found[2].key == "semester:2026-09-01"


def test_the_school_year_runs_from_autumn_start_to_the_day_before_the_next():
    assert school_year(date(2026, 8, 31), DEFAULT_SEMESTERS) == (date(2025, 9, 1), date(2026, 8, 31))
    assert school_year(date(2026, 9, 1), DEFAULT_SEMESTERS) == (date(2026, 9, 1), date(2027, 8, 31))
