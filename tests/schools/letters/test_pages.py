"""Letter pages: the overview with gaps and "issue to all", signing with a scan, re-signing,
in-school letters and targets; bad input is shown next to the field and nothing is written."""

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from schools.letters.models import Letter, LetterTarget
from schools.letters.operations import issue_letter
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit
from tenancy.scoping import tenant_context

PDF = (Path(__file__).parent / "scan.pdf").read_bytes()


def _letters(app, world) -> list[tuple[str, str, str, str]]:
    with app.app_context(), tenant_context(world.alpha.id):
        rows = db.session.execute(
            select(OrgUnit.code, Letter.tier, Letter.status, Letter.signer_label)
            .join(OrgUnit, OrgUnit.id == Letter.org_unit_id)
            .order_by(Letter.id)
        )
        return [tuple(row) for row in rows]


def _issue(app, world, code, tier, **values) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        letter_id = issue_letter(unit, 2025, tier, issued_on=date(2025, 1, 10), **values).id
        db.session.commit()
        return letter_id


def test_overview_shows_gaps_and_issues_to_all(app, world, login):
    staff = login("staff")
    page = staff.get("/letters/?year=2025").get_data(as_text=True)
    assert 'id="issue-all"' in page and "3 units below have no 2025 letter yet" in page
    assert page.count("No letter") >= 6  # C1, C2, D1 and the three schools
    response = staff.post(
        "/letters/issue", {"year": "2025", "issuer_id": world.alpha_orgs["ALPHA"], "issued_on": "2025-01-10"}
    )
    assert response.status_code == 302
    assert sorted(code for code, *_rest in _letters(app, world)) == ["C1", "C2", "D1"]
    again = staff.get("/letters/?year=2025").get_data(as_text=True)
    assert "0 units below have no 2025 letter yet" in again and "Issued, not signed" in again

    reviewer = login("reviewer1")
    one = reviewer.post(
        "/letters/issue",
        {
            "year": "2025",
            "issuer_id": world.alpha_orgs["C1"],
            "receiver_id": world.alpha_orgs["S12"],
            "issued_on": "2025-02-01",
        },
    )
    assert one.status_code == 302
    assert [code for code, *_rest in _letters(app, world)][-1] == "S12"
    wrong = reviewer.post(
        "/letters/issue",
        {
            "year": "2025",
            "issuer_id": world.alpha_orgs["C1"],
            "receiver_id": world.alpha_orgs["C1"],
            "issued_on": "2025-02-01",
        },
    )
    assert wrong.status_code == 400 and "does not receive its letter from" in wrong.get_data(as_text=True)
    gaps = reviewer.get("/letters/?year=2025&gaps=1").get_data(as_text=True)
    assert "城关镇第一小学" in gaps and "河口镇中心小学" not in gaps  # only C1's subtree


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"issued_on": ""}, "Give a date as YYYY-MM-DD."),
        ({"issued_on": "2025-13-01"}, "Not a valid date value."),
        ({"issued_on": "2999-01-01"}, "The date cannot be in the future."),
        ({"year": "1999"}, "Number must be between 2000 and 2100."),
    ],
)
def test_bad_issue_forms_write_nothing(app, world, login, data, message):
    form = {"year": "2025", "issuer_id": world.alpha_orgs["ALPHA"], "issued_on": "2025-01-10"} | data
    response = login("staff").post("/letters/issue", form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _letters(app, world) == []


def test_the_school_signs_with_a_scan_and_the_issuer_sees_it(app, world, login):
    letter_id = _issue(app, world, "S11", "central_school", signer_name="王校长")
    school = login("school11")
    page = school.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert 'id="sign"' in page and 'id="resign"' in page
    bad = school.post(
        f"/letters/{letter_id}/sign",
        {"signed_on": "2025-02-01", "signer_name": "王校长", "scan": (io.BytesIO(b"just text"), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "The scan must be a PDF, JPEG or PNG file." in bad.get_data(
        as_text=True
    )
    assert _letters(app, world)[0][2] == "issued"
    for form, message in (
        ({"signed_on": "2025-02-01", "signer_name": ""}, "This field is required."),
        ({"signed_on": "2025-01-01", "signer_name": "王校长"}, "cannot be signed before it was issued"),
        ({"signed_on": "yesterday", "signer_name": "王校长"}, "Not a valid date value."),
    ):
        response = school.post(f"/letters/{letter_id}/sign", form)
        assert response.status_code == 400 and message in response.get_data(as_text=True), form
    good = school.post(
        f"/letters/{letter_id}/sign",
        {
            "signed_on": "2025-02-01",
            "signer_name": "王校长",
            "signer_post": "校长",
            "scan": (io.BytesIO(PDF), "签字.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    assert _letters(app, world)[0][2] == "signed"
    download = login("reviewer1").get(f"/letters/{letter_id}/scan")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert (
        school.post(
            f"/letters/{letter_id}/sign", {"signed_on": "2025-02-01", "signer_name": "王"}
        ).status_code
        == 409
    )


def test_a_scan_is_uploaded_alone_and_checked(app, world, login):
    letter_id = _issue(app, world, "C1", "bureau_central")
    reviewer = login("reviewer1")  # the receiving side uploads it
    empty = reviewer.post(f"/letters/{letter_id}/scan", {})
    assert empty.status_code == 400 and "Choose a file." in empty.get_data(as_text=True)
    gif = reviewer.post(
        f"/letters/{letter_id}/scan",
        {"scan": (io.BytesIO(b"GIF89a"), "a.gif")},
        content_type="multipart/form-data",
    )
    assert gif.status_code == 400
    ok = reviewer.post(
        f"/letters/{letter_id}/scan",
        {"scan": (io.BytesIO(b"\xff\xd8\xff\xe0" + b"\0" * 20), "scan.jpg")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    assert login("staff").get(f"/letters/{letter_id}/scan").mimetype == "image/jpeg"


def test_resigning_from_the_page_keeps_the_history(app, world, login):
    letter_id = _issue(app, world, "C1", "bureau_central", signer_name="张校长")
    reviewer = login("reviewer1")
    bad = reviewer.post(
        f"/letters/{letter_id}/resign", {"resign-signer_name": "", "resign-issued_on": "2025-03-01"}
    )
    assert bad.status_code == 400 and "This field is required." in bad.get_data(as_text=True)
    response = reviewer.post(
        f"/letters/{letter_id}/resign",
        {"resign-signer_name": "李校长", "resign-signer_post": "校长", "resign-issued_on": "2025-03-01"},
    )
    assert response.status_code == 302
    assert [row[2] for row in _letters(app, world)] == ["superseded", "issued"]
    page = reviewer.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="history"' in page and "张校长" in page and "李校长" in page
    assert (
        reviewer.post(
            f"/letters/{letter_id}/resign", {"resign-signer_name": "赵", "resign-issued_on": "2025-03-02"}
        ).status_code
        == 409
    )


def test_in_school_letters_and_targets(app, world, login):
    s11 = world.alpha_orgs["S11"]
    school = login("school11")
    page = school.get(f"/schools/{s11}/letters/?year=2025").get_data(as_text=True)
    assert 'id="add-letter"' in page and 'id="targets"' in page
    assert (
        school.post(
            f"/schools/{s11}/letters/targets", {"year": "2025", "staff_count": "2", "class_count": "1"}
        ).status_code
        == 302
    )
    for tier, label in (("principal_staff", "总务处"), ("teacher_class", "一(1)班")):
        response = school.post(
            f"/schools/{s11}/letters/",
            {
                "year": "2025",
                "tier": tier,
                "signer_label": label,
                "signer_name": "周老师",
                "issued_on": "2025-02-01",
            },
        )
        assert response.status_code == 302
    page = school.get(f"/schools/{s11}/letters/?year=2025").get_data(as_text=True)
    assert "0/2" in page and "0/1" in page and "总务处" in page
    assert 'id="add-letter"' not in login("keeper11").get(f"/schools/{s11}/letters/?year=2025").get_data(
        as_text=True
    )
    grade_group = world.alpha_orgs["D1-G1"]
    assert login("admin").get(f"/schools/{grade_group}/letters/").status_code == 404


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "targets",
            {"year": "2025", "staff_count": "-1", "class_count": "1"},
            "Number must be between 0 and 5000.",
        ),
        (
            "targets",
            {"year": "2025", "staff_count": "many", "class_count": "1"},
            "Not a valid integer value.",
        ),
        (
            "targets",
            {"year": "abc", "staff_count": "1", "class_count": "1"},
            "Give a year between 2000 and 2100.",
        ),
        (
            "",
            {"year": "2025", "tier": "teacher_class", "signer_label": "", "issued_on": "2025-02-01"},
            "This field is required.",
        ),
        (
            "",
            {"year": "2025", "tier": "bureau_central", "signer_label": "x", "issued_on": "2025-02-01"},
            "Not a valid choice.",
        ),
        (
            "",
            {"year": "2025", "tier": "teacher_class", "signer_label": "x", "issued_on": "02/01/2025"},
            "Not a valid date value.",
        ),
    ],
)
def test_bad_school_forms_write_nothing(app, world, login, path, data, message):
    response = login("school11").post(f"/schools/{world.alpha_orgs['S11']}/letters/{path}", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0
        assert db.session.scalar(select(func.count()).select_from(LetterTarget)) == 0
        assert db.session.scalar(select(func.count()).where(AuditEvent.action.like("letter%"))) == 0


def test_a_duplicate_in_school_letter_is_a_conflict(app, world, login):
    s11 = world.alpha_orgs["S11"]
    data = {"year": "2025", "tier": "teacher_class", "signer_label": "一(1)班", "issued_on": "2025-02-01"}
    school = login("school11")
    assert school.post(f"/schools/{s11}/letters/", data).status_code == 302
    again = school.post(f"/schools/{s11}/letters/", data)
    assert again.status_code == 409 and "already has a 2025 letter" in again.get_data(as_text=True)
