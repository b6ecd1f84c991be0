"""The computation against numbers worked out by hand: one school's every indicator, vetoes, ranks.

The records are made through the real operations (tests/bureau/assessment/scenario.py), the
rollups are rebuilt as the nightly job would, and `compute` reads them like the job does.
Default rubric (rubric.py): reports 15 (late −2, missing −3, floor 0), rectification 15,
timeliness 10, major 10, grid 10 (no grid: 0), drills 10, letters 5, incidents 5,
inspection 15 and education 5 (entered, out of 100); bands 90 / 80 / 60.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from bureau.assessment.models import EnteredScore, Result
from bureau.assessment.operations import (
    AssessmentError,
    compute,
    create_rubric,
    enter_score,
    rescore,
    save_rubric,
)
from bureau.rollups.refresh import rebuild_all
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tests.bureau.assessment.scenario import reports, school_s11, school_s21, unit

# S11's year, indicator by indicator: (counts, rate %, points).
S11_WORKED_OUT = {
    # 12 reports due: 9 on time, 2 late, 1 missing → 15 − 2×2 − 3×1 = 8
    "reports": ({"due": 12, "on_time": 9, "late": 2, "missing": 1}, None, 8.0),
    # found in the year: 5 (March, April, June, May major, November major); rectified or closed: 3
    # → 15 × 3/5 = 9
    "rectification": ({"found": 5, "closed": 3, "open": 2}, 60.0, 9.0),
    # rectified in the year: last December's (late), March's (on time), April's (late) and the May
    # major one (by its deadline) → 10 × 2/4 = 5
    "timeliness": ({"rectified": 4, "on_time": 2, "late": 2}, 50.0, 5.0),
    # two major hazards under supervision, the May one closed after re-check → 10 × 1/2 = 5
    "major": ({"supervised": 2, "closed": 1, "open": 1}, 50.0, 5.0),
    # on 31 December: 4 cells, 3 with an owner → 10 × 3/4 = 7.5
    "grid": ({"cells": 4, "covered": 3, "blind_spots": 1}, 75.0, 7.5),
    # owed: January, March–July, September–December (10 months) and two semesters' fire or
    # disaster drill = 12; missed July and December → 10 × 10/12 = 8.33
    "drills": ({"required": 12, "met": 10, "missed": 2}, 83.33, 8.33),
    # upward letter + 2 staff + 1 class = 4 owed, 3 signed → 5 × 3/4 = 3.75
    "letters": ({"required": 4, "signed": 3, "missing": 1}, 75.0, 3.75),
    # two incidents, one reported after three hours → 5 × 1/2 = 2.5
    "incidents": ({"reported": 2, "on_time": 1, "late": 1, "with_casualties": 0}, 50.0, 2.5),
}
S11_COMPUTED = sum(points for _counts, _rate, points in S11_WORKED_OUT.values())  # 49.08
INSPECTION = 86  # → 15 × 86/100 = 12.9
S11_TOTAL = 61.98  # 49.08 + 12.9: 合格 (pass)


def _results(rubric) -> dict[str, Result]:
    rows = db.session.execute(select(Result).where(Result.rubric_id == rubric.id)).scalars()
    return {result.org_unit.code: result for result in rows}


@pytest.fixture
def computed(established, last_year):
    """S11's and S21's year recorded, the rollups rebuilt, and the default rubric computed."""
    school_s11(last_year)
    school_s21(last_year)
    rebuild_all()
    rubric = create_rubric(last_year)
    compute(rubric)
    return rubric


def test_every_indicator_of_one_school_is_what_was_worked_out_by_hand(computed, last_year):
    rubric = computed
    assert round(S11_COMPUTED, 2) == 49.08
    s11 = _results(rubric)["S11"]
    for code, (counts, rate, points) in S11_WORKED_OUT.items():
        detail = s11.details[code]
        assert (detail["counts"], detail["rate"], detail["points"]) == (counts, rate, points), code
        assert detail["missing"] is False and detail["applies"] is False
    assert s11.figures["reports"] == S11_WORKED_OUT["reports"][0]
    for code in ("inspection", "education"):  # entered, not given yet: 0 and marked missing
        assert s11.details[code]["points"] == 0.0 and s11.details[code]["missing"] is True
    assert s11.details["casualties"]["applies"] is False and s11.details["concealment"]["applies"] is False
    assert s11.total == pytest.approx(49.08) and s11.grade == "fail" and not s11.vetoed
    assert (s11.first_day, s11.last_day) == (date(last_year, 1, 1), date(last_year, 12, 31))
    assert rubric.computed_through == date(last_year, 12, 31) and rubric.computed_at is not None
    # Who is assessed: the schools, the kindergarten and the directly-run school; not the bureau,
    # the central schools nor the grade group.
    assert set(_results(rubric)) == {"S11", "S12", "S21", "D1"}


def test_an_entered_score_and_its_comment_rescore_at_once(computed):
    rubric = computed
    inspection, education = rubric.indicator("inspection"), rubric.indicator("education")
    enter_score(inspection, unit("S11"), INSPECTION, "校舍安全检查基本到位，消防器材台账不全")
    rescore(rubric)  # the form enters a page of scores, then rescores once
    s11 = _results(rubric)["S11"]
    assert s11.details["inspection"] == {
        "counts": {},
        "rate": None,
        "value": 86.0,
        "points": 12.9,
        "applies": False,
        "missing": False,
        "comment": "校舍安全检查基本到位，消防器材台账不全",
    }
    assert s11.total == S11_TOTAL and s11.grade == "pass"
    enter_score(education, unit("S11"), "90", "安全教育课教案齐全")
    rescore(rubric)
    assert _results(rubric)["S11"].total == pytest.approx(S11_TOTAL + 4.5)  # 5 × 90/100
    enter_score(education, unit("S11"), "", "")  # cleared: missing again
    rescore(rubric)
    assert _results(rubric)["S11"].total == S11_TOTAL
    assert _results(rubric)["S11"].details["education"]["missing"] is True


@pytest.mark.parametrize(
    ("value", "message"),
    [("120", "from 0 to 100"), ("-1", "from 0 to 100"), ("八十", "from 0 to 100"), ("nan", "from 0 to 100")],
)
def test_an_entered_score_out_of_range_is_refused_and_nothing_is_stored(computed, value, message):
    with pytest.raises(AssessmentError, match=message) as refused:
        enter_score(computed.indicator("inspection"), unit("S11"), value, "")
    assert refused.value.field == "value"
    assert db.session.scalar(select(func.count(EnteredScore.id))) == 0


def test_a_responsibility_accident_with_casualties_fails_the_school_and_ranks_it_last(computed):
    rubric = computed
    enter_score(rubric.indicator("inspection"), unit("S11"), INSPECTION, "")
    enter_score(rubric.indicator("inspection"), unit("S21"), 95, "安全管理规范")  # 15 × 0.95 = 14.25
    rescore(rubric)
    results = _results(rubric)
    s21 = results["S21"]
    # every report on time 15, nothing found 15 + 10 + 10, no grid 0, no drill 0, no letter 0,
    # its one incident reported within the hour 5, inspection 14.25
    assert s21.total == 69.25 and s21.total > results["S11"].total
    assert s21.details["casualties"]["counts"]["with_casualties"] == 1
    assert s21.details["casualties"]["applies"] is True and s21.vetoed and s21.grade == "fail"
    # S12 and D1 owed every report and sent none (0, floored), found nothing (35), no incident (5)
    assert results["S12"].total == results["D1"].total == 40.0
    ranks = {code: (result.rank_tenant, result.rank_central) for code, result in results.items()}
    assert ranks == {"S11": (1, 1), "S12": (2, 2), "D1": (2, 1), "S21": (4, 1)}
    central = {code: result.central_id for code, result in results.items()}
    assert central == {"S11": unit("C1").id, "S12": unit("C1").id, "S21": unit("C2").id, "D1": None}


def test_an_entered_veto_fails_a_school_and_vetoed_schools_rank_by_total_after_the_others(computed):
    rubric = computed
    enter_score(rubric.indicator("concealment"), unit("S12"), "1", "瞒报：学生食物中毒事件未按规定上报")
    rescore(rubric)
    results = _results(rubric)
    s12 = results["S12"]
    assert s12.details["concealment"]["applies"] is True and s12.details["concealment"]["comment"].startswith(
        "瞒报"
    )
    assert s12.vetoed and s12.grade == "fail" and s12.total == 40.0  # the total stands; the grade falls
    ranks = {code: result.rank_tenant for code, result in results.items()}
    assert ranks == {"S11": 1, "D1": 2, "S21": 3, "S12": 4}  # S21 (55) before S12 (40) among the vetoed
    assert results["S12"].rank_central == 2  # after S11 in C1
    with pytest.raises(AssessmentError, match="1 \\(applies\\) or 0") as refused:
        enter_score(rubric.indicator("concealment"), unit("S11"), "maybe", "")
    assert refused.value.field == "value"


def test_deductions_stop_at_the_floor_and_a_new_floor_rescores(computed):
    rubric = computed
    s12 = _results(rubric)["S12"]
    assert s12.details["reports"]["counts"]["missing"] == 12
    assert s12.details["reports"]["points"] == 0.0  # 15 − 12 × 3 stops at 0
    reports_item = rubric.indicator("reports")
    params = {"points": {"late": 2, "missing": 3}, "floor": 5}
    save_rubric(rubric, {reports_item.id: {"params": params}}, rubric.bands)
    results = _results(rubric)
    assert results["S12"].details["reports"]["points"] == 5.0
    assert results["S11"].details["reports"]["points"] == 8.0  # above the floor: unchanged
    assert results["S12"].total == 45.0


def test_weights_not_adding_up_to_100_refuse_the_computation_and_write_nothing(established, last_year):
    school_s11(last_year)
    rebuild_all()
    rubric = create_rubric(last_year)
    rubric.indicator("inspection").weight = 10  # stored wrong (save_rubric refuses it, see below)
    audits = db.session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(AssessmentError, match="add up to 95; they must add up to 100") as refused:
        compute(rubric)
    assert refused.value.field == "rubric"
    assert db.session.scalar(select(func.count(Result.id))) == 0
    assert rubric.computed_at is None and rubric.computed_through is None
    assert db.session.scalar(select(func.count(AuditEvent.id))) == audits

    rubric.indicator("inspection").weight = 15
    compute(rubric)
    before = {code: (r.total, r.computed_at) for code, r in _results(rubric).items()}
    item = rubric.indicator("education")
    with pytest.raises(AssessmentError, match="add up to 105") as refused:
        save_rubric(rubric, {item.id: {"weight": 10}}, rubric.bands)
    assert refused.value.field == "weights"
    db.session.expire_all()
    assert rubric.indicator("education").weight == 5
    assert {code: (r.total, r.computed_at) for code, r in _results(rubric).items()} == before


def test_a_bad_indicator_names_itself_and_changes_nothing(computed):
    rubric = computed
    item = rubric.indicator("grid")
    with pytest.raises(AssessmentError) as refused:
        save_rubric(rubric, {item.id: {"params": {"if_none": 0, "full_at": 120}}}, rubric.bands)
    assert refused.value.field == "indicators"
    assert refused.value.problems == {"grid": ["full_at must be 0–100."]}
    db.session.expire_all()
    assert rubric.indicator("grid").params == {"if_none": 0}


def test_a_recompute_counts_the_records_added_since(computed, last_year):
    rubric = computed
    assert _results(rubric)["S12"].details["reports"]["counts"]["on_time"] == 0
    reports(unit("S12"), last_year, on_time=[1, 2, 3], late=[4])
    rebuild_all()
    compute(rubric)
    counts = _results(rubric)["S12"].details["reports"]["counts"]
    assert counts == {"due": 12, "on_time": 3, "late": 1, "missing": 8}
