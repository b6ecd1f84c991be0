"""The demo district loads once, realistically, and a second load changes nothing."""

from sqlalchemy import func, select

from bureau.demo import district
from bureau.demo.loader import load_demo
from bureau.flags.models import Flag
from bureau.notices.models import Notice
from schools.grid.models import GridCell
from schools.grid.queries import cells_of_keeper, coverage
from schools.hazards.models import Hazard
from schools.submissions.models import Submission
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit, User
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.fixtures.app import WebClient


def test_demo_district_is_complete_and_idempotent(app):
    with app.app_context():
        tenant = load_demo()
        tenant_id = tenant.id
    with app.app_context(), tenant_context(tenant_id):
        counts = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (OrgUnit, User, Hazard, GridCell, AuditEvent)
        }
        statuses = set(db.session.scalars(select(Hazard.status).distinct()))
        assert statuses == {"open", "rectifying", "rectified", "verified", "escalated"}
        assert db.session.scalar(
            select(func.count()).where(Hazard.level == "major", Hazard.status != "verified")
        )
        today = tenant_today()
        assert db.session.scalar(
            select(func.count()).where(Hazard.deadline < today, Hazard.status.in_(("open", "rectifying")))
        )  # some are overdue
        assert set(db.session.scalars(select(Submission.status).distinct())) == {
            "submitted",
            "returned",
            "approved",
        }
        open_kinds = set(db.session.scalars(select(Flag.kind).where(Flag.cleared_at.is_(None)).distinct()))
        assert {"report_overdue", "hazard_overdue", "major_unverified", "grid_blind_spot"} <= open_kinds
        assert db.session.scalar(select(func.count()).select_from(Notice)) >= 4
        keeper = db.session.scalar(select(User).where(User.username == "cgyx_keeper"))
        assert len(cells_of_keeper(keeper)) >= 4
        blind_spots = sum(
            len(coverage(school, today).blind_spots)
            for school in db.session.scalars(select(OrgUnit).where(OrgUnit.level == 3))
        )
        assert blind_spots >= 1
    assert counts["OrgUnit"] == len(district.ORG_ROWS) and counts["Hazard"] > 5000
    with app.app_context():
        load_demo()
    with app.app_context(), tenant_context(tenant_id):
        again = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (OrgUnit, User, Hazard, GridCell, AuditEvent)
        }
    assert again == counts


def test_every_demo_login_works(app):
    with app.app_context():
        load_demo()
    for user in district.DEMO_USERS:
        web = WebClient(app)
        assert web.login(user.username, user.password, tenant=district.TENANT_CODE).status_code == 302, user
        assert web.get("/").status_code == 200
    operator = WebClient(app)
    name, password = district.DEMO_OPERATOR
    assert operator.login(name, password, path="/platform/login").status_code == 302
