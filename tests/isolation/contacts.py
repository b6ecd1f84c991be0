"""Isolation table of joint-prevention contacts: the school's list, adding, changing and
deactivating one, the gaps page, and the API.

objects() adds a police-station contact to S11.
"""

from sqlalchemy import select

from schools.contacts.operations import add_contact
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

SECRET = "城关派出所社区警务室"
FORM = {"kind": "cdc", "unit_name": "县疾病预防控制中心", "person": "李医生", "phone": "0571-88886666"}

ROUTES = {
    "contacts.list_contacts": Route(
        "GET", "/schools/{S11}/contacts/", owner="keeper11", outsider="reviewer2", secret=SECRET
    ),
    "contacts.new_contact": Route(
        "POST",
        "/schools/{S11}/contacts/new",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        data=FORM,
    ),
    "contacts.edit_contact": Route(
        "GET", "/contacts/{contact:S11}/edit", owner="school11", outsider="reviewer2", wrong_role="reviewer1"
    ),
    "contacts.set_contact_active": Route(
        "POST",
        "/contacts/{contact:S11}/active",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"active": "0"},
    ),
    "contacts.gaps": Route("GET", "/contacts/gaps", owner="staff"),
    "api.list_contacts": Route("GET", "/api/v1/contacts", owner="reviewer1", api=True, secret=SECRET),
    "api.create_contact": Route(
        "POST",
        "/api/v1/contacts",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={**FORM, "school_id": "{S11}"},
    ),
    "api.get_contact": Route(
        "GET",
        "/api/v1/contacts/{contact:S11}",
        owner="keeper11",
        outsider="reviewer2",
        api=True,
        secret=SECRET,
    ),
}


def objects(app, world) -> dict[str, int]:
    """A police-station contact of S11."""
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
        contact = add_contact(
            school,
            {"kind": "police_station", "unit_name": SECRET, "person": "王警官", "phone": "13912345678"},
        )
        db.session.commit()
        return {"contact:S11": contact.id}
