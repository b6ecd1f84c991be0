"""Isolation table of the dashboards, their drill-down, exports, print view and the served plotly.js.

objects() gives S11 an open hazard with a distinctive description and rebuilds the rollups, so
the dashboards, the drill-down list and the export have something to leak.
"""

from datetime import timedelta

from sqlalchemy import select

from bureau.rollups.refresh import rebuild_all
from schools.hazards.models import Hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

SECRET = "实验室危化品柜未双锁"

ROUTES = {
    "dashboards.index": Route("GET", "/dashboards/", owner="viewer"),
    "dashboards.show_dashboard": Route(
        "GET", "/dashboards/{S11}", owner="reviewer1", outsider="reviewer2", secret=SECRET
    ),
    "dashboards.list_hazards": Route(
        "GET",
        "/dashboards/{C1}/hazards?measure=open_end",
        owner="reviewer1",
        outsider="reviewer2",
        secret=SECRET,
    ),
    "dashboards.export_table": Route(
        "GET",
        "/dashboards/{S11}/export.xlsx?table=hazards&measure=open_end",
        owner="school11",
        outsider="reviewer2",
    ),
    "dashboards.print_dashboard": Route(
        "GET", "/dashboards/{C1}/print", owner="reviewer1", outsider="reviewer2", secret=SECRET
    ),
    "dashboards.plotly_js": Route("GET", "/static/vendor/plotly.min.js", owner="keeper11"),
}


def objects(app, world) -> dict[str, int]:
    """An open major hazard at S11 (on the supervision list and every drill-down of open hazards)."""
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
        db.session.add(
            Hazard(
                org_unit_id=school.id,
                found_on=tenant_today() - timedelta(days=3),
                location="化学实验室",
                category="lab",
                level="major",
                description=SECRET,
            )
        )
        db.session.flush()
        rebuild_all()
        db.session.commit()
    return {}
