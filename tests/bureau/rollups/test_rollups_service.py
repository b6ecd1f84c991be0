"""The rollups as a service: the API, `safegrid aggregate`, and the jobs that keep them current."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bureau.rollups.models import UnitMonth
from bureau.rollups.refresh import rebuild_all
from schools.hazards.models import Hazard
from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit, OutboxItem
from tenancy.orgs.operations import move_org
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today


def _unit(code: str) -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def _report(code: str, days_ago: int, **values) -> int:
    today = tenant_today()
    values.setdefault("category", "fire")
    hazard = report_hazard(
        _unit(code),
        HazardInput(
            found_on=today - timedelta(days=days_ago), location="教学楼", description="灭火器过期", **values
        ),
    )
    return hazard.id


def _row(code: str, period=None) -> UnitMonth | None:
    period = period or tenant_today().replace(day=1)
    return db.session.scalar(
        select(UnitMonth).where(UnitMonth.org_unit_id == _unit(code).id, UnitMonth.period == period)
    )


@pytest.fixture
def seeded(app, world):
    """Two hazards at S11 (one serious), one at S21, found today; rollups rebuilt."""
    with app.app_context(), tenant_context(world.alpha.id):
        _report("S11", 0)
        _report("S11", 0, level="serious")
        _report("S21", 0, category="food")
        rebuild_all()
        db.session.commit()
    return world


def test_api_answers_the_month_of_a_unit_and_its_children(api, seeded, world):
    response = api("reviewer1", "GET", f"/api/v1/rollups?org_unit={world.alpha_orgs['C1']}&children=1")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["org_unit"]["code"] == "C1"
    assert body["from"] == body["to"]
    assert body["totals"]["found"] == 2 and body["totals"]["open_end"] == 2
    assert body["totals"]["rectification_rate"] == 0.0 and body["totals"]["on_time_rate"] is None
    assert [month["period"] for month in body["months"]] == [body["from"]]
    children = {child["code"]: child for child in body["children"]}
    assert children["S11"]["found"] == 2 and children["S11"]["found_serious"] == 1
    assert children["S12"]["found"] == 0
    assert "S21" not in children  # C2's school is not C1's child

    bureau = api("staff", "GET", f"/api/v1/rollups?org_unit={world.alpha_orgs['ALPHA']}").get_json()
    assert bureau["totals"]["found"] == 3


def test_api_ranges_and_filters(api, seeded, world):
    root = world.alpha_orgs["ALPHA"]
    body = api("staff", "GET", f"/api/v1/rollups?org_unit={root}&category=food").get_json()
    assert body["computed_from_records"] is True and body["totals"]["found"] == 1
    ranged = api("staff", "GET", f"/api/v1/rollups?org_unit={root}&from=2026-01&to=2026-03").get_json()
    assert [month["period"] for month in ranged["months"]] == ["2026-01", "2026-02", "2026-03"]
    assert ranged["totals"]["found"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "org_unit"),
        ("&period=2026-13", "period"),
        ("&period=March", "period"),
        ("&from=2026-01&period=2026-02", "period"),
        ("&category=nuclear", "category"),
        ("&kind=castle", "kind"),
        ("&ownership=state", "ownership"),
        ("&children=2", "children"),
    ],
)
def test_api_bad_queries_name_the_field(api, seeded, world, query, field):
    path = "/api/v1/rollups?" + (f"org_unit={world.alpha_orgs['C1']}" if field != "org_unit" else "") + query
    response = api("staff", "GET", path)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


def test_api_is_scoped(api, seeded, world):
    assert api("reviewer1", "GET", f"/api/v1/rollups?org_unit={world.alpha_orgs['C2']}").status_code == 404
    assert api("school11", "GET", f"/api/v1/rollups?org_unit={world.alpha_orgs['ALPHA']}").status_code == 404


def test_aggregate_cli_full_and_pending(app, world, run_jobs):
    with app.app_context(), tenant_context(world.alpha.id):
        _report("S11", 0)
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["aggregate", "--tenant", "alpha", "--full"])
    assert result.exit_code == 0, result.output
    assert "alpha:" in result.output and "unit row(s)" in result.output
    with app.app_context(), tenant_context(world.alpha.id):
        assert _row("S11").found == 1 and _row("ALPHA").found == 1
        _report("S11", 0)
        # what the flags job would ask for, left pending (no worker ran)
        from bureau.rollups.tasks import refresh_rollups_later

        refresh_rollups_later(_unit("S11").id)
        db.session.commit()
    result = runner.invoke(args=["aggregate", "--tenant", "alpha"])
    assert result.exit_code == 0, result.output
    assert "2 pending refresh(es) run"  # the school, then its central school's categories in result.output
    with app.app_context(), tenant_context(world.alpha.id):
        assert _row("S11").found == 2 and _row("C1").found == 2 and _row("ALPHA").found == 2
        pending = select(func.count()).where(
            OutboxItem.job == "rollups.refresh_unit", OutboxItem.finished_at.is_(None)
        )
        assert db.session.scalar(pending) == 0


def test_aggregate_cli_refuses_an_unknown_tenant(app, world):
    result = app.test_cli_runner().invoke(args=["aggregate", "--tenant", "nosuch", "--full"])
    assert result.exit_code != 0
    assert "nosuch" in result.output


def test_a_change_reaches_the_bureau_row_through_the_jobs(app, world, run_jobs):
    """Reporting a hazard → flags job → rollups job (real RQ worker): the school, its central school
    and the bureau all count it, and a burst of changes to one school is one rollup run."""
    with app.app_context(), tenant_context(world.alpha.id):
        rebuild_all()
        db.session.commit()
    for _ in range(3):
        with app.app_context(), tenant_context(world.alpha.id):
            hazard_id = _report("S11", 0)
            from schools.units import refresh_flags_later

            refresh_flags_later(_unit("S11").id)
            db.session.commit()
    run_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        assert _row("S11").found == 3 and _row("C1").found == 3 and _row("ALPHA").found == 3
        runs = db.session.scalars(
            select(OutboxItem.finished_at).where(OutboxItem.job == "rollups.refresh_unit").distinct()
        ).all()
        assert len(runs) == 1  # one coalesced run for the burst
        hazard = db.session.get(Hazard, hazard_id)
        assert hazard is not None


def test_moving_a_school_moves_its_figures(app, world, run_jobs):
    with app.app_context(), tenant_context(world.alpha.id):
        _report("S12", 0)
        rebuild_all()
        db.session.commit()
        assert _row("C1").found == 1 and _row("C2") is None
        move_org(_unit("S12"), _unit("C2"))
        db.session.commit()
    run_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        assert _row("C1") is None or _row("C1").found == 0
        assert _row("C2").found == 1 and _row("ALPHA").found == 1


def test_changing_the_report_due_day_rebuilds_the_rollups(app, world, run_jobs):
    from tenancy.settings.store import set_setting

    with app.app_context(), tenant_context(world.alpha.id):
        _report("S21", 0)
        set_setting("report_due_day", 12)
        set_setting("report_due_day", 12)  # unchanged: no second request
        db.session.commit()
        items = db.session.scalars(select(OutboxItem).where(OutboxItem.job == "rollups.rebuild")).all()
        assert [item.key for item in items] == ["rollups:all"]
    run_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        assert _row("ALPHA").found == 1 and _row("C2").found == 1
