"""Joint-prevention contacts: phone rules, pages, gaps, the API."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from schools.contacts.models import Contact
from schools.contacts.operations import ContactError, add_contact, normalize_phone, set_active, update_contact
from schools.contacts.queries import contact_gaps
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit
from tenancy.orgs.operations import create_org
from tenancy.scoping import tenant_context

POLICE = {"kind": "police_station", "unit_name": "城关派出所", "person": "王警官", "phone": "13912345678"}
CDC = {"kind": "cdc", "unit_name": "县疾病预防控制中心", "person": "李医生", "phone": "0571-88886666"}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("13912345678", "13912345678"),
        (" 139 1234 5678 ", "13912345678"),
        ("0571-88886666", "0571-88886666"),
        ("010-12345678", "010-12345678"),
        ("0571-8888666", "0571-8888666"),
        ("0571-88886666-801", "0571-88886666-801"),
        ("0571－88886666", "0571-88886666"),
    ],
)
def test_good_phones(given, stored):
    assert normalize_phone(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "",
        "12912345678",
        "1391234567",
        "139123456789",
        "88886666",
        "571-88886666",
        "0571-888866",
        "0571-888866661",
        "0571-88886666-",
        "0571-88886666-1234567",
        "+8613912345678",
        "110",
        "abc-defghijk",
    ],
)
def test_bad_phones(given):
    with pytest.raises(ContactError) as caught:
        normalize_phone(given)
    assert caught.value.field == "phone"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "hospital"}, "kind"),
        ({"unit_name": " "}, "unit_name"),
        ({"unit_name": "所" * 121}, "unit_name"),
        ({"person": ""}, "person"),
        ({"phone": "12345"}, "phone"),
        ({"notes": "注" * 1001}, "notes"),
    ],
)
def test_bad_contacts_write_nothing(alpha, changes, field):
    with pytest.raises(ContactError) as caught:
        add_contact(alpha.unit("S11"), POLICE | changes)
    assert caught.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0


def test_add_change_deactivate_with_audit(alpha):
    contact = add_contact(alpha.unit("S11"), POLICE)
    update_contact(contact, POLICE | {"person": "赵所长", "phone": "0571-66668888"})
    set_active(contact, False)
    set_active(contact, True)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("contact.%")).order_by(AuditEvent.id)
    ).all()
    assert actions == ["contact.create", "contact.update", "contact.deactivate", "contact.reactivate"]
    with pytest.raises(ContactError):
        add_contact(alpha.unit("D1-G1"), POLICE)


def test_gaps(alpha):
    s11, s12, s21, d1 = (alpha.unit(code) for code in ("S11", "S12", "S21", "D1"))
    add_contact(s11, POLICE)
    add_contact(s11, CDC)
    add_contact(s12, POLICE)
    inactive = add_contact(s21, CDC)
    add_contact(s21, POLICE)
    set_active(inactive, False)  # an inactive contact does not count
    for kind in ("fire_brigade", "township_hospital", "township_government", "community", "fever_clinic"):
        add_contact(d1, POLICE | {"kind": kind})
    closed = create_org(code="S13", name="已撤并小学", kind="primary", parent=alpha.unit("C1"))
    closed.is_active = False
    gaps, checked = contact_gaps(alpha.unit("ALPHA"))
    assert checked == 4  # S11, S12, S21, D1: not the grade group, not the closed school
    found = {gap.school.code: (gap.missing_required, gap.missing_other) for gap in gaps}
    assert set(found) == {"S12", "S21", "D1"}
    assert found["S12"][0] == ["cdc"] and found["S21"][0] == ["cdc"]
    assert found["D1"] == (["police_station", "cdc"], [])
    assert "fire_brigade" in found["S12"][1] and "police_station" not in found["S12"][1]
    assert {gap.school.code for gap in contact_gaps(alpha.unit("C1"))[0]} == {"S12"}


def _count(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(Contact))


def test_pages_add_edit_deactivate(app, world, login):
    client = login("school11")
    s11 = world.alpha_orgs["S11"]
    listing = client.get(f"/schools/{s11}/contacts/").get_data(as_text=True)
    assert "Missing a required partner" in listing
    assert client.post(f"/schools/{s11}/contacts/new", POLICE).status_code == 302
    assert client.post(f"/schools/{s11}/contacts/new", CDC).status_code == 302
    listing = client.get(f"/schools/{s11}/contacts/").get_data(as_text=True)
    assert (
        "城关派出所" in listing and "0571-88886666" in listing and "Missing a required partner" not in listing
    )
    with app.app_context(), tenant_context(world.alpha.id):
        contact_id = db.session.scalar(select(Contact.id).where(Contact.kind == "cdc"))
    assert client.get(f"/contacts/{contact_id}/edit").status_code == 200
    assert client.post(f"/contacts/{contact_id}/edit", CDC | {"person": "张科长"}).status_code == 302
    assert client.post(f"/contacts/{contact_id}/active", {"active": "0"}).status_code == 302
    listing = client.get(f"/schools/{s11}/contacts/").get_data(as_text=True)
    assert "张科长" in listing and "inactive" in listing and "Missing a required partner" in listing
    assert client.post(f"/contacts/{contact_id}/active", {"active": "maybe"}).status_code == 400
    assert login("reviewer1").post(f"/contacts/{contact_id}/active", {"active": "1"}).status_code == 403
    assert login("reviewer2").get(f"/contacts/{contact_id}/edit").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "bank"}, "kind", "Not a valid choice"),
        ({"unit_name": ""}, "unit_name", "Give the partner unit"),
        ({"person": ""}, "person", "Give the responsible person."),
        ({"phone": ""}, "phone", "Give a phone number."),
        ({"phone": "12345678901"}, "phone", "Give a mobile number"),
        ({"phone": "88886666"}, "phone", "area code"),
        ({"notes": "注" * 1001}, "notes", "1000"),
    ],
)
def test_bad_input_on_the_contact_forms(app, world, login, changes, field, message):
    client = login("school11")
    response = client.post(f"/schools/{world.alpha_orgs['S11']}/contacts/new", POLICE | changes)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body.split(f'for="{field}"', 1)[1].split("</div>", 1)[0]
    assert _count(app, world) == 0
    with app.app_context(), tenant_context(world.alpha.id):
        contact = add_contact(db.session.get(OrgUnit, world.alpha_orgs["S11"]), POLICE)
        db.session.commit()
        contact_id = contact.id
    edited = client.post(f"/contacts/{contact_id}/edit", POLICE | changes)
    assert edited.status_code == 400 and message in edited.get_data(as_text=True)
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.get(Contact, contact_id).phone == POLICE["phone"]


def test_gaps_page_and_export(app, world, login):
    with app.app_context(), tenant_context(world.alpha.id):
        add_contact(db.session.get(OrgUnit, world.alpha_orgs["S11"]), POLICE)
        add_contact(db.session.get(OrgUnit, world.alpha_orgs["S11"]), CDC)
        db.session.commit()
    page = login("staff").get("/contacts/gaps").get_data(as_text=True)
    assert "河口镇中心小学" in page and "城关镇中心幼儿园" in page and "城关镇第一小学" not in page
    assert "3 of 4 schools" in page
    central = login("reviewer2").get("/contacts/gaps").get_data(as_text=True)
    assert "河口镇中心小学" in central and "城关镇中心幼儿园" not in central
    assert login("reviewer2").get(f"/contacts/gaps?unit={world.alpha_orgs['C1']}").status_code == 404
    export = login("staff").get(f"/contacts/gaps?unit={world.alpha_orgs['C1']}&format=xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[2:]] == ["城关镇中心幼儿园"]


def test_api(api, world):
    body = POLICE | {"school_id": world.alpha_orgs["S11"]}
    created = api("school11", "POST", "/api/v1/contacts", body)
    assert created.status_code == 201 and created.get_json()["kind_label"]
    api("school11", "POST", "/api/v1/contacts", CDC | {"school_id": world.alpha_orgs["S11"]})
    assert api("reviewer1", "GET", "/api/v1/contacts").get_json()["total"] == 2
    assert api("reviewer1", "GET", "/api/v1/contacts?kind=cdc").get_json()["total"] == 1
    assert api("reviewer2", "GET", "/api/v1/contacts").get_json()["total"] == 0
    assert api("reviewer2", "GET", f"/api/v1/contacts?school_id={world.alpha_orgs['S11']}").status_code == 404
    assert api("reviewer2", "GET", f"/api/v1/contacts/{created.get_json()['id']}").status_code == 404
    assert (
        api("keeper11", "GET", f"/api/v1/contacts/{created.get_json()['id']}").get_json()["phone"]
        == "13912345678"
    )
    assert api("reviewer1", "POST", "/api/v1/contacts", body).status_code == 403
    assert api("admin", "GET", "/api/v1/contacts?kind=bank").status_code == 400


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "bank"}, "kind"),
        ({"kind": None}, "kind"),
        ({"unit_name": ""}, "unit_name"),
        ({"person": "人" * 61}, "person"),
        ({"phone": "12345"}, "phone"),
        ({"phone": 13912345678}, "phone"),
        ({"school_id": "x"}, "school_id"),
    ],
)
def test_bad_api_bodies(api, world, changes, field):
    response = api(
        "school11", "POST", "/api/v1/contacts", POLICE | {"school_id": world.alpha_orgs["S11"]} | changes
    )
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]
    assert api("admin", "GET", "/api/v1/contacts").get_json()["total"] == 0
