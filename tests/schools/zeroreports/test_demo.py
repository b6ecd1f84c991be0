"""The demo's zero-report windows: a story for the completeness table and the flags, loaded once."""

from sqlalchemy import func, select

from bureau.demo.zeroreports import load_demo_zeroreports
from bureau.flags.models import Flag
from bureau.flags.operations import refresh_all
from schools.zeroreports import queries
from schools.zeroreports.models import ZeroReport, ZeroReportWindow
from tenancy.extensions import db
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.fixtures.demo import start_demo_district


def test_demo_windows_tell_a_story_and_load_once(app):
    with app.app_context():
        tenant_id = start_demo_district(backdate_days=400)
        with tenant_context(tenant_id):
            written = load_demo_zeroreports()
            assert written > 1000
            assert load_demo_zeroreports() == 0
            flood, epidemic = db.session.scalars(
                select(ZeroReportWindow).order_by(ZeroReportWindow.starts_on)
            )
            today = tenant_today()
            assert (flood.status, flood.covers_all, epidemic.status) == ("ended", True, "active")
            assert sorted(t.unit.code for t in epidemic.targets) == ["CG-ZX", "HK-ZX"]
            table = queries.completeness(flood, None, queries.window_days(flood, today))
            summary = table.summary()
            assert summary["days"] == 92 and summary["percent"] > 95 and summary["late"] > 0
            recent = queries.completeness(epidemic, None, queries.window_days(epidemic, today))
            states = {cell.state for row in recent.rows for cell in row.cells}
            assert {"zero", "reported", "late", "missing"} <= states
            assert {row.school.parent.code for row in recent.rows} == {"CG-ZX", "HK-ZX"}
            refresh_all()
            flagged = db.session.scalar(
                select(func.count()).select_from(Flag).where(Flag.kind == "zero_report_missing")
            )
            assert flagged >= 3
            assert db.session.scalar(select(func.count()).select_from(ZeroReport)) == written
            db.session.rollback()
