"""The dashboards' figures are rendered once per rollup version and follow every change."""

from datetime import timedelta

from sqlalchemy import event, select

from bureau.rollups.models import RollupVersion
from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.bureau.dashboards.helpers import login
from tests.bureau.dashboards.test_dashboard_pages import kpi
from tests.fixtures.app import WebClient


class RollupReads:
    """Counts the statements that read the rollup tables while it is active."""

    def __init__(self, app):
        self.app, self.count = app, 0

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if "FROM rollup_unit_months" in statement or "FROM rollup_category_months" in statement:
            self.count += 1

    def __enter__(self):
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        with self.app.app_context():
            event.remove(db.engine, "before_cursor_execute", self._seen)


def version(app, tenant_id: int) -> int:
    with app.app_context(), tenant_context(tenant_id):
        return db.session.scalar(select(RollupVersion.version)) or 0


def test_figures_are_reused_until_the_rollups_change(app, web, district, run_jobs):
    alpha = district.world.alpha.id
    root = district.orgs["ALPHA"]
    login(web, district, "admin")
    first = web.get(f"/dashboards/{root}").get_data(as_text=True)
    assert kpi(first, "open_end") == "4"
    # The same page again (by another user of the tenant too): no rollup is read again.
    with RollupReads(app) as reads:
        again = web.get(f"/dashboards/{root}").get_data(as_text=True)
        staff = WebClient(app)
        login(staff, district, "staff")
        by_staff = staff.get(f"/dashboards/{root}").get_data(as_text=True)
    assert reads.count == 0
    assert kpi(again, "open_end") == kpi(by_staff, "open_end") == "4"

    # A new hazard: its jobs refresh the rollups, which raises the version; the page follows.
    before = version(app, alpha)
    with app.app_context(), tenant_context(alpha):
        school = db.session.get(OrgUnit, district.orgs["S12"])
        report_hazard(
            school,
            HazardInput(
                found_on=district.today,
                location="操场",
                category="building",
                description="篮球架底座松动",
                deadline=district.today + timedelta(days=5),
            ),
        )
        db.session.commit()
    run_jobs()
    assert version(app, alpha) > before
    with RollupReads(app) as reads:
        after = web.get(f"/dashboards/{root}").get_data(as_text=True)
    assert reads.count > 0
    assert kpi(after, "open_end") == "5"


def test_each_language_has_its_own_copy(web, district):
    login(web, district, "admin")
    root = district.orgs["ALPHA"]
    assert web.post("/language", {"locale": "zh_Hans_CN"}).status_code == 302
    chinese = web.get(f"/dashboards/{root}").get_data(as_text=True)
    assert web.post("/language", {"locale": "en"}).status_code == 302
    english = web.get(f"/dashboards/{root}").get_data(as_text=True)
    assert "月度趋势" in chinese and "Trend by month" not in chinese
    assert "Trend by month" in english


def test_without_redis_the_page_is_rendered_every_time(app, web, district, monkeypatch):
    login(web, district, "admin")
    root = district.orgs["ALPHA"]
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens there
    monkeypatch.delitem(app.extensions, "safegrid_rollups_cache", raising=False)
    with RollupReads(app) as reads:
        body = web.get(f"/dashboards/{root}").get_data(as_text=True)
    assert reads.count > 0 and kpi(body, "open_end") == "4"
    app.extensions.pop("safegrid_rollups_cache", None)


def test_the_rollups_api_answer_is_kept_until_the_rollups_change(app, api, district, run_jobs):
    path = f"/api/v1/rollups?org_unit={district.orgs['ALPHA']}&children=1"
    first = api("admin", "GET", path).get_json()
    with RollupReads(app) as reads:
        again = api("staff", "GET", path).get_json()
    assert reads.count == 0 and again == first
    assert first["totals"]["open_end"] == 4
    with app.app_context(), tenant_context(district.world.alpha.id):
        school = db.session.get(OrgUnit, district.orgs["S21"])
        report_hazard(
            school,
            HazardInput(
                found_on=district.today, location="食堂", category="food", description="冰柜温度异常"
            ),
        )
        db.session.commit()
    run_jobs()
    after = api("admin", "GET", path).get_json()
    assert after["totals"]["open_end"] == 5
    c2 = next(row for row in after["children"] if row["org_unit_id"] == district.orgs["C2"])
    assert c2["open_end"] == 2
