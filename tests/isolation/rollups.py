"""Isolation table of /api/v1/rollups: the figures of S11's subtree must not reach other scopes.

objects() reports a hazard at S11 and rebuilds the rollups, so the answer has a figure to leak;
the secret is S11's name, which the answer carries with children=1 on C1.
"""

from datetime import timedelta

from sqlalchemy import select

from bureau.rollups.refresh import rebuild_all
from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

ROUTES = {
    "api.get_rollups": Route(
        "GET", "/api/v1/rollups?org_unit={C1}&children=1", owner="reviewer1", outsider="reviewer2", api=True
    ),
}


def objects(app, world) -> dict[str, int]:
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
        report_hazard(
            school,
            HazardInput(
                found_on=tenant_today() - timedelta(days=3),
                location="操场",
                category="security",
                description="围墙破损",
            ),
        )
        rebuild_all()
        db.session.commit()
    return {}
