"""Who is assessed over which days, previews, frozen years, the job, and tenant scope.

Schools that move, open or close during the year; a mid-year preview; a closed year refuses
every change until an audited reopening; the job run by a real RQ worker gives what the
direct call gives; a computation in one tenant writes nothing in another.
"""

from datetime import date

import pytest
from sqlalchemy import func, select, update

from bureau.assessment.models import EnteredScore, Indicator, Result, Rubric
from bureau.assessment.operations import (
    AssessmentError,
    YearClosed,
    add_indicator,
    close_year,
    compute,
    create_rubric,
    enter_score,
    remove_indicator,
    reopen_year,
    save_rubric,
)
from bureau.assessment.queries import rubric_of
from bureau.rollups.refresh import rebuild_all
from tenancy.extensions import db
from tenancy.jobs import submit
from tenancy.models import AuditEvent, OrgUnit
from tenancy.orgs.operations import create_org, move_org, set_active
from tenancy.scoping import tenant_context, unscoped
from tenancy.settings.store import tenant_today
from tests.bureau.assessment.scenario import drill, local_noon, reports, school_s11, school_s21, unit


def _results(rubric: Rubric) -> dict[str, Result]:
    rows = db.session.scalars(select(Result).where(Result.rubric_id == rubric.id))
    return {result.org_unit.code: result for result in rows}


def _snapshot(rubric: Rubric) -> dict[str, tuple]:
    """What a computation decided, school by school (not when it ran)."""
    return {
        code: (r.details, r.figures, r.total, r.vetoed, r.grade, r.rank_tenant, r.rank_central, r.central_id)
        for code, r in _results(rubric).items()
    }


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.fixture
def recorded(established, last_year):
    """S11's and S21's year recorded (scenario.py) and the rollups rebuilt."""
    school_s11(last_year)
    school_s21(last_year)
    rebuild_all()
    return established


def test_a_school_that_moved_keeps_its_whole_year_and_ranks_in_its_new_central_school(recorded, last_year):
    rubric = create_rubric(last_year)
    compute(rubric)
    before = _results(rubric)["S11"]
    figures, total = before.figures, before.total
    assert before.central_id == unit("C1").id and before.rank_central == 1

    move_org(unit("S11"), unit("C2"))
    rebuild_all()
    compute(rubric)
    results = _results(rubric)
    s11 = results["S11"]
    assert s11.figures == figures and s11.total == total  # the whole year's own records
    assert s11.first_day == date(last_year, 1, 1)
    assert s11.central_id == unit("C2").id
    # ranked with S21 (vetoed) in 河口镇; S12 is alone in 城关镇 now
    assert (s11.rank_central, results["S21"].rank_central, results["S12"].rank_central) == (1, 2, 1)
    assert results["S21"].central_id == s11.central_id


def test_a_school_opened_mid_year_is_assessed_from_its_opening_day(established, last_year):
    school = create_org(code="S13", name="城关镇第二小学", kind="primary", parent=unit("C1"))
    school.created_at = local_noon(date(last_year, 7, 15))
    reports(school, last_year, on_time=[7, 8, 9, 10, 11, 12], late=[])
    drill(school, date(last_year, 9, 15), "fire")
    drill(school, date(last_year, 10, 15))
    rebuild_all()
    rubric = create_rubric(last_year)
    compute(rubric)
    s13 = _results(rubric)["S13"]
    assert (s13.first_day, s13.last_day) == (date(last_year, 7, 15), date(last_year, 12, 31))
    # owed only since it opened: July–December's reports; the drills of September–December (July's
    # month began before it opened, August is a holiday, its first semester ends next January)
    assert s13.details["reports"]["counts"] == {"due": 6, "on_time": 6, "late": 0, "missing": 0}
    assert s13.details["reports"]["points"] == 15.0
    assert s13.details["drills"]["counts"] == {"required": 4, "met": 2, "missed": 2}
    assert s13.details["drills"]["points"] == 5.0
    assert _results(rubric)["S11"].first_day == date(last_year, 1, 1)


def test_closed_schools_and_schools_opened_after_the_period_are_not_assessed(established, last_year):
    set_active(unit("S12"), False)
    create_org(code="S14", name="河口镇新建小学", kind="primary", parent=unit("C2"))  # opened today
    rubric = create_rubric(last_year)
    compute(rubric)
    assert set(_results(rubric)) == {"S11", "S21", "D1"}

    current = create_rubric(tenant_today().year)
    compute(current)
    s14 = _results(current)["S14"]
    assert s14.first_day == tenant_today() and "S12" not in _results(current)


def test_a_closed_year_keeps_the_results_of_a_school_closed_afterwards(established, last_year):
    rubric = create_rubric(last_year)
    compute(rubric)
    close_year(rubric)
    set_active(unit("S12"), False)
    assert set(_results(rubric)) == {"S11", "S12", "S21", "D1"}


def test_a_mid_year_preview_covers_the_year_up_to_its_day(recorded, last_year):
    rubric = create_rubric(last_year)
    compute(rubric, today=date(last_year, 6, 30))
    assert rubric.computed_through == date(last_year, 6, 30)
    s11 = _results(rubric)["S11"]
    assert (s11.first_day, s11.last_day) == (date(last_year, 1, 1), date(last_year, 6, 30))
    # found by 30 June: March, April, May (major) and June; November's major hazard not yet
    assert s11.details["rectification"]["counts"]["found"] == 4
    assert s11.details["major"]["counts"] == {"supervised": 1, "closed": 1, "open": 0}
    # owed by 30 June: January, March–June and the autumn semester's fire drill, all held
    assert s11.details["drills"]["counts"] == {"required": 6, "met": 6, "missed": 0}
    assert s11.details["incidents"]["counts"]["reported"] == 1
    with pytest.raises(AssessmentError, match="preview through") as refused:
        close_year(rubric)
    assert refused.value.field == "year" and not rubric.is_closed

    compute(rubric)  # the year is over: the whole year
    assert rubric.computed_through == date(last_year, 12, 31)
    close_year(rubric)
    assert rubric.is_closed


def test_the_current_year_is_a_preview_through_today_and_next_year_cannot_be_computed(established):
    today = tenant_today()
    rubric = create_rubric(today.year)
    compute(rubric)
    assert rubric.computed_through == today
    assert {result.last_day for result in _results(rubric).values()} == {today}
    next_year = create_rubric(today.year + 1)
    with pytest.raises(AssessmentError, match="before the year starts") as refused:
        compute(next_year)
    assert refused.value.field == "year" and _count(Result) == 4


def test_a_closed_year_is_frozen_until_an_audited_reopening(established, last_year):
    rubric = create_rubric(last_year)
    inspection = rubric.indicator("inspection")
    enter_score(inspection, unit("S11"), 80, "检查合格")
    with pytest.raises(AssessmentError, match="before closing"):
        close_year(rubric)  # never computed
    compute(rubric)
    close_year(rubric)
    db.session.flush()
    frozen = (
        _snapshot(rubric),
        {r.org_unit.code: r.computed_at for r in _results(rubric).values()},
        [(i.code, i.weight, i.params) for i in rubric.indicators],
        dict(rubric.bands),
        [(s.value, s.comment) for s in db.session.scalars(select(EnteredScore))],
        _count(AuditEvent),
    )
    education = rubric.indicator("education")
    attempts = {
        "compute": lambda: compute(rubric),
        "enter_score": lambda: enter_score(inspection, unit("S11"), 95, "改分"),
        "clear_score": lambda: enter_score(inspection, unit("S11"), "", ""),
        "save_rubric": lambda: save_rubric(rubric, {}, {"excellent": 95, "good": 85, "pass": 60}),
        "add_indicator": lambda: add_indicator(
            rubric,
            {"code": "extra", "name": "附加分", "kind": "score", "source": "entered", "rule": "entered"},
        ),
        "remove_indicator": lambda: remove_indicator(education),
    }
    for name, attempt in attempts.items():
        with pytest.raises(YearClosed, match=f"The {last_year} assessment is closed") as refused:
            attempt()
        assert refused.value.status == 409, name
    db.session.flush()
    db.session.expire_all()
    again = (
        _snapshot(rubric),
        {r.org_unit.code: r.computed_at for r in _results(rubric).values()},
        [(i.code, i.weight, i.params) for i in rubric.indicators],
        dict(rubric.bands),
        [(s.value, s.comment) for s in db.session.scalars(select(EnteredScore))],
        _count(AuditEvent),
    )
    assert again == frozen
    assert _count(Indicator) == 12

    for reason in ("", "   "):
        with pytest.raises(AssessmentError, match="reason") as refused:
            reopen_year(rubric, reason)
        assert refused.value.field == "reason" and rubric.is_closed
    reopen_year(rubric, "城关镇第一小学现场检查分数录入有误，复核后更正")
    assert not rubric.is_closed and rubric.closed_by == ""
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assessment.reopened").order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["reason"]["new"] == "城关镇第一小学现场检查分数录入有误，复核后更正"
    assert event.object_type == "Rubric" and event.object_id == str(rubric.id)
    assert "复核后更正" in event.summary
    enter_score(inspection, unit("S11"), 95, "复核后更正")  # open again
    with pytest.raises(AssessmentError, match="not closed"):
        reopen_year(rubric, "再次")


def _establish(last_year: int) -> None:
    """The current tenant's units were put on the platform before the year (see the `established` fixture)."""
    db.session.execute(
        update(OrgUnit)
        .values(created_at=local_noon(date(last_year - 1, 6, 1)))
        .execution_options(synchronize_session=False)
    )


def test_the_job_run_by_a_worker_computes_what_the_direct_call_computes(app, world, run_jobs, last_year):
    with app.app_context(), tenant_context(world.alpha.id):
        _establish(last_year)
        school_s11(last_year)
        school_s21(last_year)
        rebuild_all()
        rubric = create_rubric(last_year)
        enter_score(rubric.indicator("inspection"), unit("S11"), 86, "")
        db.session.commit()
    run_jobs()  # the flags and rollups jobs the records asked for
    with app.app_context(), tenant_context(world.alpha.id):
        submit("assessment.compute", key=str(last_year), year=last_year)
        db.session.commit()
    assert run_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        rubric = rubric_of(last_year)
        assert rubric.computed_through == date(last_year, 12, 31)
        by_job = _snapshot(rubric)
        assert set(by_job) == {"S11", "S12", "S21", "D1"} and by_job["S11"][2] == 61.98
        compute(rubric)
        assert _snapshot(rubric) == by_job


def test_a_computation_writes_nothing_for_another_tenant(app, world, last_year):
    with app.app_context(), tenant_context(world.beta.id):
        _establish(last_year)
        beta = create_rubric(last_year)
        compute(beta)
        db.session.commit()
        beta_id = beta.id
        [beta_result] = db.session.scalars(select(Result)).all()
        beta_before = (beta_result.id, beta_result.total, beta_result.computed_at, beta.computed_at)
        beta_audit = _count(AuditEvent)
    with app.app_context(), tenant_context(world.alpha.id):
        _establish(last_year)
        alpha = create_rubric(last_year)
        compute(alpha)
        db.session.commit()
        assert set(_results(alpha)) == {"S11", "S12", "S21", "D1"}
        assert db.session.get(Rubric, beta_id) is None  # not visible from alpha
    with app.app_context(), tenant_context(world.beta.id):
        beta = db.session.get(Rubric, beta_id)
        [beta_result] = db.session.scalars(select(Result)).all()
        assert (beta_result.id, beta_result.total, beta_result.computed_at, beta.computed_at) == beta_before
        assert beta_result.org_unit.code == "BS1" and _count(AuditEvent) == beta_audit
    with app.app_context(), unscoped():
        tenants = dict(
            db.session.execute(select(Result.tenant_id, func.count()).group_by(Result.tenant_id)).all()
        )
        assert tenants == {world.alpha.id: 4, world.beta.id: 1}
        owners = db.session.execute(
            select(Result.tenant_id, OrgUnit.tenant_id).join(OrgUnit, OrgUnit.id == Result.org_unit_id)
        ).all()
        assert all(result_tenant == unit_tenant for result_tenant, unit_tenant in owners)


def test_the_job_leaves_a_closed_year_alone(app, world, run_jobs, last_year):
    with app.app_context(), tenant_context(world.alpha.id):
        _establish(last_year)
        rubric = create_rubric(last_year)
        compute(rubric)
        close_year(rubric)
        db.session.commit()
        computed_at = rubric.computed_at
        submit("assessment.compute", key=str(last_year), year=last_year)
        db.session.commit()
    run_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        assert rubric_of(last_year).computed_at == computed_at
