"""/api/v1/letters: issue, list with filters, read, sign (JSON or multipart with a scan); bad bodies."""

import io
from pathlib import Path

import pytest

from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import User
from tenancy.scoping import tenant_context

PDF = (Path(__file__).parent / "scan.pdf").read_bytes()


def _body(world, **changes):
    return {
        "year": 2025,
        "tier": "central_school",
        "org_unit_id": world.alpha_orgs["S11"],
        "issued_on": "2025-01-10",
        "signer_name": "王校长",
    } | changes


def test_issue_list_read_and_sign(api, world):
    created = api("reviewer1", "POST", "/api/v1/letters", _body(world))
    assert created.status_code == 201
    letter = created.get_json()
    assert (letter["issuer_unit_id"], letter["status"], letter["has_scan"]) == (
        world.alpha_orgs["C1"],
        "issued",
        False,
    )
    in_school = api(
        "school11",
        "POST",
        "/api/v1/letters",
        _body(world, tier="teacher_class", signer_label="一(1)班", signer_name=""),
    )
    assert in_school.status_code == 201 and in_school.get_json()["issuer_unit_id"] == world.alpha_orgs["S11"]

    def total(who, query=""):
        return api(who, "GET", f"/api/v1/letters{query}").get_json()["total"]

    assert total("reviewer1") == 2 and total("reviewer2") == 0
    assert total("reviewer1", "?tier=central_school&year=2025&status=issued") == 1
    assert total("reviewer1", f"?org_unit_id={world.alpha_orgs['S11']}&year=2024") == 0
    assert (
        api("reviewer2", "GET", f"/api/v1/letters?org_unit_id={world.alpha_orgs['S11']}").status_code == 404
    )
    assert api("keeper11", "GET", f"/api/v1/letters/{letter['id']}").get_json()["signer_name"] == "王校长"

    signed = api(
        "school11",
        "POST",
        f"/api/v1/letters/{letter['id']}/sign",
        {"signed_on": "2025-02-01", "signer_name": "王校长"},
    )
    assert signed.status_code == 200 and signed.get_json()["status"] == "signed"
    assert signed.get_json()["signed_on"] == "2025-02-01"
    again = api(
        "school11",
        "POST",
        f"/api/v1/letters/{letter['id']}/sign",
        {"signed_on": "2025-02-01", "signer_name": "王"},
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    duplicate = api("reviewer1", "POST", "/api/v1/letters", _body(world))
    assert duplicate.status_code == 409 and "org_unit_id" in duplicate.get_json()["error"]["fields"]


def test_sign_with_a_scan_as_multipart(app, api, world):
    letter = api(
        "staff",
        "POST",
        "/api/v1/letters",
        _body(world, tier="bureau_central", org_unit_id=world.alpha_orgs["C1"]),
    ).get_json()
    client = app.test_client()
    with app.app_context(), tenant_context(world.alpha.id):
        _token, secret = issue_token(db.session.get(User, world.alpha_users["reviewer1"]), "test")
        db.session.commit()

    def sign(scan):
        return client.post(
            f"/api/v1/letters/{letter['id']}/sign",
            data={"signed_on": "2025-02-01", "signer_name": "陈校长", "scan": (io.BytesIO(scan), "scan.pdf")},
            headers={"Authorization": f"Bearer {secret}"},
            content_type="multipart/form-data",
        )

    bad = sign(b"not a pdf")
    assert bad.status_code == 400 and "scan" in bad.get_json()["error"]["fields"]
    assert api("staff", "GET", f"/api/v1/letters/{letter['id']}").get_json()["status"] == "issued"
    good = sign(PDF)
    assert good.status_code == 200
    assert good.get_json()["has_scan"] is True and good.get_json()["scan_content_type"] == "application/pdf"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": 1999}, "year"),
        ({"year": "next"}, "year"),
        ({"tier": "school_staff"}, "tier"),
        ({"tier": "bureau_central"}, "org_unit_id"),  # S11 signs with its central school
        ({"issued_on": "2025-02-30"}, "issued_on"),
        ({"issued_on": "2999-01-01"}, "issued_on"),
        ({"issued_on": None}, "issued_on"),
        ({"tier": "teacher_class"}, "signer_label"),  # in-school letters name the class
        ({"signer_name": "名" * 61}, "signer_name"),
        ({"org_unit_id": None}, "org_unit_id"),
    ],
)
def test_bad_letter_bodies_are_400_naming_the_field(api, world, changes, field):
    response = api("staff", "POST", "/api/v1/letters", _body(world, **changes))
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert api("staff", "GET", "/api/v1/letters").get_json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"signed_on": "2025-02-01"}, "signer_name"),
        ({"signed_on": "2025-02-01", "signer_name": ""}, "signer_name"),
        ({"signed_on": "01/02/2025", "signer_name": "王"}, "signed_on"),
        ({"signed_on": "2025-01-01", "signer_name": "王"}, "signed_on"),  # before it was issued
        ({"signer_name": "王"}, "signed_on"),
    ],
)
def test_bad_sign_bodies_are_400_naming_the_field(api, world, body, field):
    letter = api("reviewer1", "POST", "/api/v1/letters", _body(world)).get_json()
    response = api("school11", "POST", f"/api/v1/letters/{letter['id']}/sign", body)
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]
    assert api("school11", "GET", f"/api/v1/letters/{letter['id']}").get_json()["status"] == "issued"


def test_issuing_needs_letter_manage_at_the_issuer(api, world):
    # A school admin may not issue its own central-school letter, nor the bureau's.
    assert api("school11", "POST", "/api/v1/letters", _body(world)).status_code == 403
    assert api("viewer", "POST", "/api/v1/letters", _body(world)).status_code == 403
    assert api("reviewer2", "POST", "/api/v1/letters", _body(world)).status_code == 404
