"""Isolation table of responsibility letters.

objects() issues 2025 letters: the bureau's to C1 and to D1 (with a scan), C1's to S11, and an
in-school letter of S11, so paths can name them. All wait for their signature.
"""

from datetime import date
from pathlib import Path

from sqlalchemy import select

from schools.letters.operations import attach_scan, issue_letter
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

SECRET = "王守信"  # the responsible person named on alpha's letters
LABEL_SECRET = "后勤保卫处"  # an in-school signer of S11
SCAN = Path(__file__).resolve().parent.parent / "schools" / "letters" / "scan.pdf"

ROUTES = {
    "letters.overview": Route(
        "GET", "/letters/?unit_id={S11}", owner="school11", outsider="reviewer2", secret=SECRET
    ),
    "letters.issue": Route(
        "POST",
        "/letters/issue",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"year": "2025", "issuer_id": "{C1}", "issued_on": "2025-01-10"},
    ),
    "letters.show_letter": Route(
        "GET", "/letters/{letter:S11}", owner="school11", outsider="reviewer2", secret=SECRET
    ),
    "letters.sign_letter": Route(
        "POST",
        "/letters/{letter:S11}/sign",
        owner="school11",
        outsider="reviewer2",
        wrong_role="keeper11",
        data={"signed_on": "2025-02-01", "signer_name": "王守信", "signer_post": "校长"},
    ),
    "letters.upload_scan": Route(
        "POST",
        "/letters/{letter:S11}/scan",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="keeper11",
        data={"scan": (SCAN, "责任书.pdf")},
    ),
    "letters.download_scan": Route("GET", "/letters/{letter:D1}/scan", owner="staff", outsider="reviewer1"),
    "letters.resign_letter": Route(
        "POST",
        "/letters/{letter:C1}/resign",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"resign-signer_name": "李新", "resign-signer_post": "校长", "resign-issued_on": "2025-03-01"},
    ),
    "letters.school_letters": Route(
        "GET",
        "/schools/{S11}/letters/?year=2025",
        owner="keeper11",
        outsider="reviewer2",
        secret=LABEL_SECRET,
    ),
    "letters.add_school_letter": Route(
        "POST",
        "/schools/{S11}/letters/",
        owner="school11",
        outsider="reviewer2",
        wrong_role="keeper11",
        data={
            "year": "2025",
            "tier": "teacher_class",
            "signer_label": "一年级(1)班",
            "issued_on": "2025-02-01",
        },
    ),
    "letters.save_targets": Route(
        "POST",
        "/schools/{S11}/letters/targets",
        owner="school11",
        outsider="reviewer2",
        wrong_role="keeper11",
        data={"year": "2025", "staff_count": "40", "class_count": "12"},
    ),
    "api.list_letters": Route("GET", "/api/v1/letters", owner="reviewer1", api=True, secret=SECRET),
    "api.create_letter": Route(
        "POST",
        "/api/v1/letters",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="viewer",
        api=True,
        data={"year": 2025, "tier": "central_school", "org_unit_id": "{S12}", "issued_on": "2025-01-10"},
    ),
    "api.get_letter": Route(
        "GET", "/api/v1/letters/{letter:S11}", owner="school11", outsider="reviewer2", api=True, secret=SECRET
    ),
    "api.sign_letter": Route(
        "POST",
        "/api/v1/letters/{letter:S11}/sign",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="keeper11",
        api=True,
        data={"signed_on": "2025-02-01", "signer_name": "王守信"},
    ),
}


def objects(app, world) -> dict[str, int]:
    """2025 letters of C1, D1 (scanned) and S11 from the level above, and one inside S11."""
    ids = {}
    with app.app_context(), tenant_context(world.alpha.id):
        units = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
        for code, tier in (("C1", "bureau_central"), ("D1", "bureau_central"), ("S11", "central_school")):
            letter = issue_letter(
                units[code], 2025, tier, issued_on=date(2025, 1, 10), signer_name=SECRET, signer_post="校长"
            )
            ids[f"letter:{code}"] = letter.id
        attach_scan(db.session.get(type(letter), ids["letter:D1"]), SCAN.read_bytes(), "责任书.pdf")
        issue_letter(
            units["S11"], 2025, "principal_staff", issued_on=date(2025, 1, 12), signer_label=LABEL_SECRET
        )
        db.session.commit()
    return ids
