"""The demo incidents and contacts: realistic, with late reports, an open flag and contact gaps; loaded once."""

from sqlalchemy import func, select

from bureau.demo.contacts import load_demo_contacts
from bureau.demo.incidents import load_demo_incidents
from bureau.flags.models import Flag
from bureau.flags.operations import refresh_all
from schools.contacts.models import Contact
from schools.contacts.queries import contact_gaps
from schools.incidents.models import Incident, IncidentReport
from schools.incidents.queries import live_incidents
from tenancy.extensions import db
from tenancy.scoping import tenant_context, tenant_root
from tests.fixtures.demo import start_demo_district


def test_demo_incidents_and_contacts(app):
    with app.app_context():
        tenant_id = start_demo_district(backdate_days=400)
        with tenant_context(tenant_id):
            assert load_demo_contacts() > 300
            assert 15 <= load_demo_incidents() <= 25
            refresh_all()
            db.session.commit()
    with app.app_context(), tenant_context(tenant_id):
        counts = (
            db.session.scalar(select(func.count()).select_from(Contact)),
            db.session.scalar(select(func.count()).select_from(IncidentReport)),
        )
        assert load_demo_contacts() == 0 and load_demo_incidents() == 0
        assert counts == (
            db.session.scalar(select(func.count()).select_from(Contact)),
            db.session.scalar(select(func.count()).select_from(IncidentReport)),
        )
        incidents = db.session.scalars(select(Incident)).all()
        assert 2 <= sum(i.is_late for i in incidents) <= 5
        assert len(live_incidents(tenant_root())) == 2
        assert {i.kind for i in incidents} >= {"injury", "food_poisoning", "traffic"}
        assert sum(i.is_responsibility_accident for i in incidents) == 1
        assert (
            db.session.scalar(
                select(func.count()).where(Flag.kind == "incident_late", Flag.cleared_at.is_(None))
            )
            == 1
        )
        gaps, checked = contact_gaps(tenant_root())
        assert 4 <= len(gaps) < checked // 4
        assert db.session.scalar(select(func.count()).where(Contact.is_active.is_(False))) == 1
