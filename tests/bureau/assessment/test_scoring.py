"""The scoring rules, grades, ranks and rubric checks as pure functions, against hand-computed examples."""

from datetime import date

import pytest

from bureau.assessment.models import DEFAULT_BANDS
from bureau.assessment.rubric import (
    DEFAULT_INDICATORS,
    bands_problem,
    indicator_problems,
    rules_for,
    weight_problem,
)
from bureau.assessment.scoring import (
    competition_ranks,
    deduction_points,
    entered_points,
    grade_of,
    rate_points,
    veto_applies,
)
from bureau.assessment.sources import ENTERED, Period

# --- rate -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "numerator", "denominator", "params", "expected"),
    [
        (10, 3, 4, {}, (75.0, 7.5)),  # 10 × 75%
        (15, 3, 5, {}, (60.0, 9.0)),
        (10, 10, 12, {}, (83.33, 8.33)),  # rate and points each rounded to two decimals
        (10, 0, 4, {}, (0.0, 0.0)),
        (10, 4, 4, {}, (100.0, 10.0)),
        # full marks from 90%: 80% earns 80/90 of the weight, 95% all of it
        (10, 8, 10, {"full_at": 90}, (80.0, 8.89)),
        (10, 19, 20, {"full_at": 90}, (95.0, 10.0)),
        # nothing below 50%, full at 100%: 75% is half way
        (10, 3, 4, {"zero_at": 50}, (75.0, 5.0)),
        (10, 2, 5, {"zero_at": 50}, (40.0, 0.0)),  # clipped at 0, never negative
        (10, 9, 10, {"zero_at": 60, "full_at": 80}, (90.0, 10.0)),  # clipped at the weight
        # nothing owed (denominator 0): if_none % of the weight, 100 by default
        (10, 0, 0, {}, (None, 10.0)),
        (10, 0, 0, {"if_none": 0}, (None, 0.0)),
        (5, 0, 0, {"if_none": 50}, (None, 2.5)),
        (10, 0, 0, {"if_none": None}, (None, 10.0)),  # a null setting means the default
    ],
)
def test_rate_points(weight, numerator, denominator, params, expected):
    assert rate_points(weight, numerator, denominator, params) == expected


# --- deductions -------------------------------------------------------------------------------

REPORTS = {"points": {"late": 2, "missing": 3}, "floor": 0}


@pytest.mark.parametrize(
    ("counts", "params", "expected"),
    [
        ({"due": 12, "on_time": 12, "late": 0, "missing": 0}, REPORTS, 15.0),
        ({"late": 1}, REPORTS, 13.0),  # late −2
        ({"missing": 1}, REPORTS, 12.0),  # missing −3
        ({"late": 2, "missing": 1}, REPORTS, 8.0),  # 15 − 4 − 3
        ({"late": 3, "missing": 2}, REPORTS, 3.0),
        ({"late": 3, "missing": 3}, REPORTS, 0.0),  # 15 − 6 − 9 = 0 exactly
        ({"late": 5, "missing": 3}, REPORTS, 0.0),  # 15 − 10 − 9 = −4 → floor 0
        ({"missing": 12}, REPORTS, 0.0),
        ({"missing": 12}, {"points": {"late": 2, "missing": 3}, "floor": 5}, 5.0),  # a non-zero floor
        ({"late": 1}, {"points": {"late": 2, "missing": 3}, "floor": 5}, 13.0),  # above it: unchanged
        ({"late": 1}, {"points": {"late": 0.5}}, 14.5),  # no floor given: 0; decimals allowed
        ({"late": 40}, {"points": {"late": 0.5}}, 0.0),
        ({"on_time": 12}, REPORTS, 15.0),  # figures without a deduction cost nothing
    ],
)
def test_deduction_points(counts, params, expected):
    assert deduction_points(15, counts, params) == expected


# --- entered ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "value", "params", "expected"),
    [
        (15, 86, {"max": 100}, 12.9),
        (15, 100, {"max": 100}, 15.0),
        (15, 0, {"max": 100}, 0.0),
        (5, 90, {}, 4.5),  # max defaults to 100
        (15, 7, {"max": 10}, 10.5),  # scored out of 10
        (15, 33.3, {"max": 100}, 5.0),  # 4.995 → 5.0
        (15, None, {"max": 100}, 0.0),  # not entered yet: nothing
    ],
)
def test_entered_points(weight, value, params, expected):
    assert entered_points(weight, value, params) == expected


# --- veto -------------------------------------------------------------------------------------

CASUALTIES = {"count": "with_casualties", "at_least": 1}


@pytest.mark.parametrize(
    ("counts", "value", "params", "expected"),
    [
        ({"reported": 3, "with_casualties": 1}, None, CASUALTIES, True),
        ({"reported": 3, "with_casualties": 2}, None, CASUALTIES, True),
        ({"reported": 3, "with_casualties": 0}, None, CASUALTIES, False),
        ({"reported": 3}, None, CASUALTIES, False),  # a figure not counted is 0
        ({"with_casualties": 1}, None, {"count": "with_casualties", "at_least": 2}, False),
        ({"with_casualties": 2}, None, {"count": "with_casualties", "at_least": 2}, True),
        ({"late": 1}, None, {"count": "late"}, True),  # at_least defaults to 1
        (None, 1.0, {}, True),  # an entered veto: 1 applies
        (None, 0.0, {}, False),
        (None, None, {}, False),  # not entered: does not apply
    ],
)
def test_veto_applies(counts, value, params, expected):
    assert veto_applies(counts, value, params) is expected


# --- grades and ranks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "vetoed", "expected"),
    [
        (100, False, "excellent"),
        (90, False, "excellent"),
        (89.99, False, "good"),
        (80, False, "good"),
        (79.99, False, "pass"),
        (60, False, "pass"),
        (59.99, False, "fail"),
        (0, False, "fail"),
        (100, True, "fail"),  # a veto fails whatever the total
        (61.98, True, "fail"),
    ],
)
def test_grade_of_at_the_band_edges(total, vetoed, expected):
    assert grade_of(total, vetoed, DEFAULT_BANDS) == expected


def test_grade_of_reads_the_tenants_bands_stored_as_json():
    bands = {"excellent": "95", "good": 85.5, "pass": 70}  # as a form or JSON column may hold them
    assert [grade_of(total, False, bands) for total in (95, 94.99, 85.5, 85.49, 70, 69.99)] == [
        "excellent",
        "good",
        "good",
        "pass",
        "pass",
        "fail",
    ]


def test_competition_ranks_share_ties_skip_the_next_and_put_vetoed_schools_last():
    ranks = competition_ranks(
        [
            ("b", 85.0, False),
            ("vetoed-high", 99.0, True),
            ("a", 90.0, False),
            ("c", 85.0, False),
            ("vetoed-low", 40.0, True),
            ("d", 70.0, False),
            ("vetoed-tie", 40.0, True),
        ]
    )
    assert ranks == {
        "a": 1,
        "b": 2,
        "c": 2,  # 1, 2, 2, 4
        "d": 4,
        "vetoed-high": 5,  # after every school not vetoed, however high its total
        "vetoed-low": 6,
        "vetoed-tie": 6,
    }


def test_competition_ranks_do_not_tie_a_vetoed_school_with_an_equal_total():
    assert competition_ranks([("vetoed", 80.0, True), ("clean", 80.0, False)]) == {"clean": 1, "vetoed": 2}
    assert competition_ranks([]) == {}
    assert competition_ranks([("only", 0.0, False)]) == {"only": 1}


# --- rubric checks ----------------------------------------------------------------------------


def _row(**values) -> dict:
    row = {
        "code": "extra",
        "name": "附加指标",
        "kind": "score",
        "weight": 10,
        "source": "drills",
        "rule": "rate",
        "params": {},
    }
    return row | values


def test_the_default_rubric_is_valid_and_its_weights_add_up_to_100():
    rows = [
        dict(zip(("code", "name", "kind", "weight", "source", "rule", "params"), row[:7], strict=True))
        for row in DEFAULT_INDICATORS
    ]
    assert [(row["code"], indicator_problems(row)) for row in rows if indicator_problems(row)] == []
    assert weight_problem([row["weight"] for row in rows if row["kind"] == "score"]) is None
    assert {row["code"] for row in rows if row["kind"] == "veto"} == {"casualties", "concealment"}
    assert bands_problem(DEFAULT_BANDS) is None


def test_a_valid_indicator_of_every_rule_has_no_problem():
    assert indicator_problems(_row()) == []
    assert indicator_problems(_row(params={"full_at": 90, "zero_at": 50, "if_none": 0})) == []
    assert indicator_problems(_row(source="reports", rule="deduction", params={"points": {"late": 2}})) == []
    assert indicator_problems(_row(source=ENTERED, rule="entered", params={"max": 10})) == []
    assert indicator_problems(_row(kind="veto", weight=0, source=ENTERED, rule="veto")) == []
    veto = _row(
        kind="veto", weight=0, source="incidents", rule="veto", params={"count": "late", "at_least": 3}
    )
    assert indicator_problems(veto) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"code": ""}, "The code must be 1–20 letters, digits, '-' or '_'."),
        ({"code": "检查"}, "The code must be 1–20 letters, digits, '-' or '_'."),
        ({"code": "x" * 21}, "The code must be 1–20 letters, digits, '-' or '_'."),
        ({"name": "  "}, "The name is required."),
        ({"name": "长" * 81}, "The name must be at most 80 characters."),
        ({"kind": "bonus"}, "Unknown kind 'bonus'."),
        ({"source": "weather"}, "Unknown source 'weather'."),
        ({"rule": "entered"}, "The rule 'entered' does not fit this source."),
        ({"source": ENTERED}, "The rule 'rate' does not fit this source."),
        ({"kind": "veto", "weight": 0}, "The rule 'rate' does not fit this source."),
        ({"weight": 101}, "The weight must be a whole number from 0 to 100."),
        ({"weight": -1}, "The weight must be a whole number from 0 to 100."),
        ({"weight": 7.5}, "The weight must be a whole number from 0 to 100."),
        ({"weight": "10"}, "The weight must be a whole number from 0 to 100."),
        ({"params": {"full_at": "all"}}, "full_at must be a number."),
        ({"params": {"full_at": "nan"}}, "full_at must be a number."),
        ({"params": {"if_none": "inf"}}, "if_none must be a number."),
        ({"params": {"full_at": 120}}, "full_at must be 0–100."),
        ({"params": {"zero_at": -5}}, "zero_at must be 0–100."),
        ({"params": {"if_none": 150}}, "if_none must be 0–100."),
        ({"params": {"zero_at": 80, "full_at": 80}}, "zero_at must be below full_at."),
        ({"params": {"bonus": 5}}, "Unknown setting(s): bonus."),
        ({"params": {"points": {"late": 2}}}, "Unknown setting(s): points."),  # not a rate setting
    ],
)
def test_indicator_problems_name_what_is_wrong(values, message):
    assert message in indicator_problems(_row(**values))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"params": {}}, "Name at least one deduction, e.g. late=2."),
        ({"params": {"points": {}}}, "Name at least one deduction, e.g. late=2."),
        (
            {"params": {"points": {"overdue": 2}}},
            "'overdue' is not a figure of this source (due, on_time, late, missing).",
        ),
        ({"params": {"points": {"late": "two"}}}, "late must be a number."),
        ({"params": {"points": {"missing": 150}}}, "missing must be 0–100."),
        ({"params": {"points": {"late": 2}, "floor": -1}}, "floor must be ≥ 0."),
        ({"params": {"points": {"late": 2}, "floor": "inf"}}, "floor must be a number."),
        ({"params": {"points": {"late": 2}, "floor": 20}}, "floor must not exceed the weight."),
    ],
)
def test_deduction_problems_name_the_setting(values, message):
    row = _row(source="reports", rule="deduction", weight=15) | values
    assert message in indicator_problems(row)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            _row(source=ENTERED, rule="entered", params={"max": 0}),
            "max must be 1–1000.",
        ),
        (
            _row(source=ENTERED, rule="entered", params={"max": "hundred"}),
            "max must be a number.",
        ),
        (
            _row(kind="veto", weight=0, source="incidents", rule="veto", params={"count": "deaths"}),
            "count must be one of: reported, on_time, late, with_casualties.",
        ),
        (
            _row(
                kind="veto",
                weight=0,
                source="incidents",
                rule="veto",
                params={"count": "late", "at_least": 0},
            ),
            "at_least must be ≥ 1.",
        ),
        (
            _row(
                kind="veto",
                weight=0,
                source="incidents",
                rule="veto",
                params={"count": "late", "at_least": "inf"},
            ),
            "at_least must be a number.",
        ),
        (_row(kind="veto", weight=5, source=ENTERED, rule="veto"), "A veto item has no weight (0)."),
        (
            _row(kind="veto", weight=0, source=ENTERED, rule="entered"),
            "The rule 'entered' does not fit this source.",
        ),
    ],
)
def test_entered_and_veto_problems(row, message):
    assert message in indicator_problems(row)


def test_rules_for_each_kind_and_source():
    assert rules_for("reports", "score") == ["rate", "deduction"]
    assert rules_for(ENTERED, "score") == ["entered"]
    assert rules_for("incidents", "veto") == ["veto"] and rules_for(ENTERED, "veto") == ["veto"]


@pytest.mark.parametrize(
    ("weights", "total"),
    [([15, 15, 10, 10, 10, 10, 5, 5, 15], "95"), ([60, 45], "105"), ([], "0"), ([0], "0")],
)
def test_weights_not_adding_up_to_100_are_refused_with_their_sum(weights, total):
    message = weight_problem(weights)
    assert message == f"The weights of the scored indicators add up to {total}; they must add up to 100."


def test_weights_adding_up_to_100_pass():
    assert weight_problem([15, 15, 10, 10, 10, 10, 5, 5, 15, 5]) is None
    assert weight_problem([100]) is None


RISE = "The bands must rise: 0 ≤ pass < good < excellent ≤ 100."


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ({"excellent": 90, "good": 80}, "Each grade band must be a number."),
        ({"excellent": "ninety", "good": 80, "pass": 60}, "Each grade band must be a number."),
        ({"excellent": None, "good": 80, "pass": 60}, "Each grade band must be a number."),
        ({"excellent": 80, "good": 90, "pass": 60}, RISE),
        ({"excellent": 90, "good": 80, "pass": 80}, RISE),
        ({"excellent": 101, "good": 80, "pass": 60}, RISE),
        ({"excellent": 90, "good": 80, "pass": -1}, RISE),
    ],
)
def test_bands_problem(bands, message):
    assert bands_problem(bands) == message


def test_bands_may_be_decimals_and_reach_the_ends():
    assert bands_problem({"excellent": 100, "good": 85.5, "pass": 0}) is None
    assert bands_problem({"excellent": "92.5", "good": "80", "pass": "60"}) is None


def test_a_period_is_a_preview_until_its_last_day_is_31_december():
    assert Period(2025, date(2025, 6, 30), date(2025, 6, 30)).is_preview
    assert not Period(2025, date(2025, 12, 31), date(2026, 3, 1)).is_preview
    assert Period(2025, date(2025, 12, 31), date(2026, 3, 1)).first == date(2025, 1, 1)
