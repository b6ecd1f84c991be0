"""Letters: expected letters and gaps per tier, in-school completion, issuing, signing, scans, re-signing."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from schools.letters import operations as ops
from schools.letters.models import Letter
from schools.letters.queries import history, letter_completion, letter_gaps, letter_rows
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.orgs.operations import create_org, set_active
from tenancy.settings.store import tenant_today

YEAR = 2025
ISSUED = date(2025, 1, 10)
PDF = (Path(__file__).parent / "scan.pdf").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _gaps(alpha, code="ALPHA", year=YEAR) -> dict[str, dict]:
    return {row.unit.code: row.gaps for row in letter_gaps(alpha.unit(code), year)}


def _issue(alpha, code, tier=None, **values) -> Letter:
    unit = alpha.unit(code)
    return ops.issue_letter(unit, YEAR, tier or ops.unit_tier(unit), issued_on=ISSUED, **values)


def _sign(letter, name="王校长", on=date(2025, 2, 1), **values) -> Letter:
    return ops.sign_letter(letter, signed_on=on, signer_name=name, signer_post="校长", **values)


def test_every_unit_without_a_signed_letter_is_a_gap_per_tier(alpha):
    assert _gaps(alpha) == {
        "C1": {"bureau_central": "missing"},
        "C2": {"bureau_central": "missing"},
        "D1": {"bureau_central": "missing", "principal_staff": 1, "teacher_class": 1},  # directly-run: bureau
        "S11": {"central_school": "missing", "principal_staff": 1, "teacher_class": 1},
        "S12": {"central_school": "missing", "principal_staff": 1, "teacher_class": 1},
        "S21": {"central_school": "missing", "principal_staff": 1, "teacher_class": 1},
    }  # the bureau signs nothing upward; the grade group D1-G1 signs through D1
    _sign(_issue(alpha, "C1"))
    d1 = _issue(alpha, "D1")
    s11 = _issue(alpha, "S11")
    assert s11.issuer_unit_id == alpha.unit("C1").id and d1.issuer_unit_id == alpha.unit("ALPHA").id
    gaps = _gaps(alpha)
    assert "C1" not in gaps  # signed: no gap
    assert gaps["D1"]["bureau_central"] == "unsigned" and gaps["S11"]["central_school"] == "unsigned"
    assert set(_gaps(alpha, "C1")) == {"S11", "S12"}  # a central school sees its own subtree
    assert _gaps(alpha, year=2026)["C1"] == {"bureau_central": "missing"}  # letters are yearly


def test_a_new_school_shows_and_a_closed_one_does_not(alpha):
    new = create_org(code="S13", name="城关镇第二小学", kind="primary", parent=alpha.unit("C1"))
    assert _gaps(alpha, "C1")["S13"]["central_school"] == "missing"
    set_active(new, False)
    set_active(alpha.unit("S21"), False)
    set_active(alpha.unit("C2"), False)
    gaps = _gaps(alpha)
    assert not {"S13", "S21", "C2"} & set(gaps)
    with pytest.raises(ops.LetterError) as error:
        ops.issue_letter(new, YEAR, "central_school", issued_on=ISSUED)
    assert error.value.field == "org_unit_id"


def test_a_superseded_letter_does_not_count_and_history_keeps_it(alpha):
    old = _sign(_issue(alpha, "S11", signer_name="王校长"))
    assert "central_school" not in _gaps(alpha, "C1").get("S11", {})
    new = ops.resign_letter(
        old, signer_name="李校长", signer_post="校长", issued_on=date(2025, 6, 1), note="校长调整"
    )
    assert (old.status, new.status, new.supersedes_id) == ("superseded", "issued", old.id)
    assert (new.issuer_unit_id, new.org_unit_id, new.year, new.tier) == (
        old.issuer_unit_id,
        old.org_unit_id,
        old.year,
        old.tier,
    )
    assert _gaps(alpha, "C1")["S11"]["central_school"] == "unsigned"
    assert [letter.id for letter in history(new)] == [old.id, new.id]
    _sign(new, name="李校长", on=date(2025, 6, 2))
    assert "central_school" not in _gaps(alpha, "C1").get("S11", {})
    with pytest.raises(ops.LetterConflict):
        ops.resign_letter(old, signer_name="赵", issued_on=date(2025, 6, 3))
    with pytest.raises(ops.LetterError) as error:
        ops.resign_letter(new, signer_name="赵", issued_on=date(2024, 12, 31))
    assert error.value.field == "issued_on"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("letter.%"))).all()
    assert actions.count("letter.supersede") == 1 and actions.count("letter.resign") == 1


def test_in_school_completion_counts_signed_letters_against_the_targets(alpha):
    school = alpha.unit("S11")
    assert letter_completion(school, YEAR) == (3, 0)  # no target declared: one letter of each tier
    ops.save_target(school, YEAR, 3, 2)
    assert letter_completion(school, YEAR) == (6, 0)
    _sign(_issue(alpha, "S11"))
    for label in ("总务处", "教务处"):
        _sign(_issue(alpha, "S11", "principal_staff", signer_label=label))
    _issue(alpha, "S11", "principal_staff", signer_label="保卫处")  # issued, not signed
    for label in ("一(1)班", "一(2)班", "二(1)班"):  # one more class than declared: counted once
        _sign(_issue(alpha, "S11", "teacher_class", signer_label=label))
    assert letter_completion(school, YEAR) == (6, 5)
    [row] = [row for row in letter_rows(school, YEAR) if row.unit.code == "S11"]
    assert row.gaps == {"principal_staff": 1}
    assert row.school_tiers["principal_staff"].issued == 3
    assert letter_completion(alpha.unit("C1"), YEAR) == (1, 0)  # a central school signs one letter
    assert letter_completion(alpha.unit("D1-G1"), YEAR) == (0, 0)


def test_issue_to_all_fills_only_the_units_without_a_letter(alpha):
    _issue(alpha, "S11")
    issued = ops.issue_to_all(alpha.unit("C1"), YEAR, ISSUED)
    assert [letter.unit.code for letter in issued] == ["S12"]
    assert ops.issue_to_all(alpha.unit("C1"), YEAR, ISSUED) == []
    assert sorted(letter.unit.code for letter in ops.issue_to_all(alpha.unit("ALPHA"), YEAR, ISSUED)) == [
        "C1",
        "C2",
        "D1",
    ]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda a: ops.issue_letter(a.unit("S11"), YEAR, "bureau_central", issued_on=ISSUED), "org_unit_id"),
        (lambda a: ops.issue_letter(a.unit("C1"), YEAR, "nonsense", issued_on=ISSUED), "tier"),
        (lambda a: ops.issue_letter(a.unit("C1"), 1999, "bureau_central", issued_on=ISSUED), "year"),
        (
            lambda a: ops.issue_letter(
                a.unit("C1"), YEAR, "bureau_central", issued_on=tenant_today() + timedelta(days=1)
            ),
            "issued_on",
        ),
        (lambda a: ops.issue_letter(a.unit("S11"), YEAR, "teacher_class", issued_on=ISSUED), "signer_label"),
        (
            lambda a: ops.issue_letter(
                a.unit("C1"), YEAR, "teacher_class", issued_on=ISSUED, signer_label="x"
            ),
            "org_unit_id",
        ),
        (
            lambda a: ops.issue_letter(
                a.unit("D1-G1"), YEAR, "teacher_class", issued_on=ISSUED, signer_label="x"
            ),
            "org_unit_id",
        ),
        (
            lambda a: ops.issue_letter(
                a.unit("S11"), YEAR, "teacher_class", issued_on=ISSUED, signer_label="班" * 81
            ),
            "signer_label",
        ),
        (lambda a: ops.save_target(a.unit("S11"), YEAR, -1, 2), "staff_count"),
        (lambda a: ops.save_target(a.unit("S11"), YEAR, 3, "2"), "class_count"),
        (lambda a: ops.save_target(a.unit("C1"), YEAR, 3, 2), "org_unit_id"),
    ],
)
def test_bad_letters_are_refused_naming_the_field(alpha, call, field):
    with pytest.raises(ops.LetterError) as error:
        call(alpha)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def test_a_second_current_letter_is_a_conflict(alpha):
    _issue(alpha, "S11", "teacher_class", signer_label="一(1)班")
    with pytest.raises(ops.LetterConflict) as error:
        _issue(alpha, "S11", "teacher_class", signer_label="一(1)班")
    assert error.value.field == "signer_label"
    with pytest.raises(ops.LetterConflict):
        _issue(alpha, "C1")
        _issue(alpha, "C1")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": ""}, "signer_name"),
        ({"on": date(2025, 1, 9)}, "signed_on"),  # before it was issued
        ({"on": date(2999, 1, 1)}, "signed_on"),
        ({"scan": (b"GIF89a....", "x.gif")}, "scan"),
        ({"scan": (b"RIFF\0\0\0\0WEBPVP8 ", "x.webp")}, "scan"),  # a photo type, but not for letters
        ({"scan": (b"", "x.pdf")}, "scan"),
    ],
)
def test_bad_signatures_change_nothing(alpha, values, field):
    letter = _issue(alpha, "C1")
    with pytest.raises(ops.LetterError) as error:
        _sign(letter, **values)
    assert error.value.field == field
    assert (letter.status, letter.signed_on, letter.scan_stored_name) == ("issued", None, None)


def test_a_signed_letter_cannot_be_signed_again_and_scans_are_checked_by_content(app, alpha):
    letter = _sign(_issue(alpha, "C1"), scan=(PDF, "签字版.pdf"))
    assert (letter.scan_content_type, letter.scan_original_name) == ("application/pdf", "签字版.pdf")
    assert ops.scan_path(letter).read_bytes() == PDF
    assert not str(ops.scan_path(letter)).startswith(app.static_folder)
    with pytest.raises(ops.LetterConflict):
        _sign(letter)
    ops.attach_scan(letter, PNG, "../../photo.pdf")  # the name says PDF, the content is a PNG
    assert (letter.scan_content_type, letter.scan_original_name) == ("image/png", "photo.pdf")
    with pytest.raises(ops.LetterError) as error:
        ops.attach_scan(letter, b"<html>not a scan</html>", "scan.pdf")
    assert error.value.field == "scan" and letter.scan_content_type == "image/png"
