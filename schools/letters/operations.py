"""Writes to responsibility letters: issue (one, or all units below), sign, scan, re-sign, targets.

Rules (never commits; the view or API commits once):
- a unit-tier letter goes to the unit that must sign it: ``bureau_central`` to an active level-2
  unit (central school or directly-run school), ``central_school`` to an active level-3 school
  (not a grade group) from its parent; in-school letters belong to a school (not a grade group)
  and name the staff member, department or class in ``signer_label``;
- issuing needs letter.manage at the issuing unit (the bureau, the central school, or the school
  for its in-school letters); one letter per (year, tier, unit, signer_label) is current;
- recording the signature, uploading the scan and re-signing may be done by either side:
  letter.manage at the letter's own unit, which the issuer's managers reach through their subtree
  (the receiving school uploads what it signed; the issuer may record it for them);
- re-signing (the responsible person changed) marks the current letter superseded and issues a
  new one to the new signer, to be signed; history keeps both;
- dates: issued_on and signed_on are not in the future; signed_on is not before issued_on.
Every write is audited. Letters raise no flags (they feed the annual assessment).
"""

from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from schools.files import FileRefused, check_upload, new_stored_name, store_file, stored_path
from schools.letters.models import TIERS, UNIT_TIERS, Letter, LetterTarget
from schools.units import keeps_records
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.roles import can
from tenancy.scoping import tenant_root
from tenancy.settings.store import tenant_today

YEAR_MIN, YEAR_MAX = 2000, 2100
NAME_MAX, POST_MAX, LABEL_MAX, NOTE_MAX = 60, 60, 80, 2000
COUNT_MAX = 5000
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")


class LetterError(ValueError):
    """A letter change that breaks a rule; `field` names the culprit, `status` the HTTP answer."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class LetterConflict(LetterError):
    """The letter already exists, or its state does not allow the change."""

    status = 409


def is_school(unit: OrgUnit) -> bool:
    """Schools sign letters inside (staff, classes); grade groups belong to their school."""
    return keeps_records(unit) and unit.kind != "grade_group"


def unit_tier(unit: OrgUnit) -> str | None:
    """The tier at which the unit signs with the level above, or None (the bureau, grade groups)."""
    if unit.level == 2:
        return "bureau_central"
    if unit.level == 3 and unit.kind != "grade_group":
        return "central_school"
    return None


def issuer_for(unit: OrgUnit, tier: str) -> OrgUnit | None:
    """The unit that issues a letter of `tier` to `unit` (or, inside a school, the school)."""
    if tier == "bureau_central":
        return tenant_root()
    if tier == "central_school":
        return unit.parent
    return unit


def may_issue(unit: OrgUnit, tier: str, user=None) -> bool:
    """Whether the user may issue a letter of `tier` to `unit`: letter.manage at the issuer."""
    issuer = issuer_for(unit, tier) if tier in TIERS else None
    return issuer is not None and can("letter.manage", issuer, user)


def may_sign(letter: Letter, user=None) -> bool:
    """Either side may record the signature and the scan: letter.manage at the letter's unit."""
    return can("letter.manage", letter.unit, user)


def check_year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
        raise LetterError(_("Give a year between %(low)d and %(high)d.", low=YEAR_MIN, high=YEAR_MAX), "year")
    return year


def _check_day(day, field: str) -> date:
    if not isinstance(day, date):
        raise LetterError(_("Give a date as YYYY-MM-DD."), field)
    if day > tenant_today():
        raise LetterError(_("The date cannot be in the future."), field)
    return day


def _text(value, field: str, limit: int, required: bool = False) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        raise LetterError(_("This field is required."), field)
    if len(value) > limit:
        raise LetterError(_("At most %(n)d characters.", n=limit), field)
    return value


def current_letter(year: int, tier: str, unit_id: int, signer_label: str = "") -> Letter | None:
    """Return the letter that is not superseded for this key, if any."""
    return db.session.scalar(
        select(Letter).where(
            Letter.year == year,
            Letter.tier == tier,
            Letter.org_unit_id == unit_id,
            Letter.signer_label == signer_label,
            Letter.status != "superseded",
        )
    )


def issue_letter(
    unit: OrgUnit,
    year: int,
    tier: str,
    *,
    issued_on: date,
    signer_label: str = "",
    signer_name: str = "",
    signer_post: str = "",
    note: str = "",
    user=None,
) -> Letter:
    """Issue a letter of `tier` to `unit` (unit tiers) or inside the school `unit` (in-school tiers)."""
    check_year(year)
    if tier not in TIERS:
        raise LetterError(_("Unknown tier '%(value)s'.", value=tier), "tier")
    if not unit.is_active:
        raise LetterError(_("%(unit)s is closed.", unit=unit.name), "org_unit_id")
    if tier in UNIT_TIERS:
        if unit_tier(unit) != tier:
            raise LetterError(
                _("%(unit)s does not sign letters of this tier.", unit=unit.name), "org_unit_id"
            )
        signer_label = ""
    else:
        if not is_school(unit):
            raise LetterError(_("In-school letters belong to a school."), "org_unit_id")
        signer_label = _text(signer_label, "signer_label", LABEL_MAX, required=True)
    issuer = issuer_for(unit, tier)
    if issuer is None:
        raise LetterError(
            _("%(unit)s has no unit above it to issue the letter.", unit=unit.name), "org_unit_id"
        )
    letter = Letter(
        tenant_id=unit.tenant_id,
        year=year,
        tier=tier,
        issuer_unit_id=issuer.id,
        org_unit_id=unit.id,
        signer_label=signer_label,
        signer_name=_text(signer_name, "signer_name", NAME_MAX),
        signer_post=_text(signer_post, "signer_post", POST_MAX),
        note=_text(note, "note", NOTE_MAX),
        issued_on=_check_day(issued_on, "issued_on"),
        status="issued",
        created_by_id=getattr(user, "id", None),
    )
    if current_letter(year, tier, unit.id, signer_label) is not None:
        raise LetterConflict(_duplicate_message(unit, year, signer_label), _key_field(tier))
    db.session.add(letter)
    db.session.flush()
    audit.record("letter.issue", letter, changes=audit.snapshot(letter), summary=_summary(letter))
    return letter


def _key_field(tier: str) -> str:
    return "org_unit_id" if tier in UNIT_TIERS else "signer_label"


def _duplicate_message(unit: OrgUnit, year: int, signer_label: str) -> str:
    if signer_label:
        return _("%(name)s already has a %(year)d letter.", name=signer_label, year=year)
    return _("%(name)s already has a %(year)d letter.", name=unit.name, year=year)


def _summary(letter: Letter) -> str:
    return f"{letter.year} {letter.tier} {letter.unit.code} {letter.signer_label}".strip()


def units_needing_letter(issuer: OrgUnit, year: int) -> list[OrgUnit]:
    """Return the active units the issuer owes a letter for the year and has none current."""
    if issuer.level == 1:
        query = select(OrgUnit).where(OrgUnit.level == 2)
    elif issuer.level == 2:
        query = select(OrgUnit).where(
            OrgUnit.parent_id == issuer.id, OrgUnit.level == 3, OrgUnit.kind != "grade_group"
        )
    else:
        return []
    has_letter = select(Letter.org_unit_id).where(
        Letter.year == year, Letter.tier.in_(UNIT_TIERS), Letter.status != "superseded"
    )
    return list(
        db.session.scalars(
            query.where(OrgUnit.is_active, OrgUnit.id.not_in(has_letter)).order_by(OrgUnit.code)
        )
    )


def issue_to_all(issuer: OrgUnit, year: int, issued_on: date, user=None) -> list[Letter]:
    """Issue the year's letter to every unit below the issuer that has none ("issue to all")."""
    check_year(year)
    _check_day(issued_on, "issued_on")
    letters = []
    for unit in units_needing_letter(issuer, year):
        letters.append(issue_letter(unit, year, unit_tier(unit), issued_on=issued_on, user=user))
    return letters


def _check_scan(data: bytes) -> tuple[str, str]:
    try:
        return check_upload(data, SCAN_TYPES, _("The scan must be a PDF, JPEG or PNG file."))
    except FileRefused as problem:
        raise LetterError(str(problem), "scan") from None


def attach_scan(letter: Letter, data: bytes, filename: str, user=None) -> Letter:
    """Store the scan of the signed letter (replacing an earlier one) under a generated name."""
    if letter.status == "superseded":
        raise LetterConflict(_("This letter has been superseded."), "scan")
    content_type, extension = _check_scan(data)
    stored_name = new_stored_name(extension)
    store_file(letter.tenant_id, stored_name, data)
    letter.scan_stored_name = stored_name
    letter.scan_original_name = Path(filename or "scan").name[:255]
    letter.scan_content_type = content_type
    letter.scan_size = len(data)
    letter.scan_uploaded_at = utcnow()
    audit.record("letter.scan", letter, changes=audit.pending_changes(letter), summary=_summary(letter))
    db.session.flush()
    return letter


def scan_path(letter: Letter) -> Path:
    """Return where a letter's scan lives on disk."""
    return stored_path(letter.tenant_id, letter.scan_stored_name)


def sign_letter(
    letter: Letter,
    *,
    signed_on: date,
    signer_name: str,
    signer_post: str = "",
    scan: tuple[bytes, str] | None = None,
    user=None,
) -> Letter:
    """Record that the responsible person signed the letter (with the scan, when given)."""
    if letter.status != "issued":
        raise LetterConflict(_("Only an issued letter that is not signed yet can be signed."), "status")
    signer_name = _text(signer_name, "signer_name", NAME_MAX, required=True)
    signer_post = _text(signer_post, "signer_post", POST_MAX)
    _check_day(signed_on, "signed_on")
    if signed_on < letter.issued_on:
        raise LetterError(_("The letter cannot be signed before it was issued."), "signed_on")
    if scan is not None:
        _check_scan(scan[0])  # before anything changes: nothing half-written on a bad file
    letter.status = "signed"
    letter.signed_on = signed_on
    letter.signer_name = signer_name
    letter.signer_post = signer_post
    letter.signed_recorded_by_id = getattr(user, "id", None)
    audit.record("letter.sign", letter, changes=audit.pending_changes(letter), summary=_summary(letter))
    db.session.flush()
    if scan is not None:
        attach_scan(letter, scan[0], scan[1], user)
    return letter


def resign_letter(
    letter: Letter, *, signer_name: str, signer_post: str = "", issued_on: date, note: str = "", user=None
) -> Letter:
    """The responsible person changed: supersede the letter and issue a new one to the new signer."""
    if letter.status == "superseded":
        raise LetterConflict(_("This letter has already been superseded."), "status")
    signer_name = _text(signer_name, "signer_name", NAME_MAX, required=True)
    signer_post = _text(signer_post, "signer_post", POST_MAX)
    note = _text(note, "note", NOTE_MAX)
    _check_day(issued_on, "issued_on")
    if issued_on < letter.issued_on:
        raise LetterError(_("The new letter cannot be issued before the one it replaces."), "issued_on")
    letter.status = "superseded"
    audit.record("letter.supersede", letter, changes=audit.pending_changes(letter), summary=_summary(letter))
    db.session.flush()  # the old letter leaves the "current" index before the new one enters it
    new = Letter(
        tenant_id=letter.tenant_id,
        year=letter.year,
        tier=letter.tier,
        issuer_unit_id=letter.issuer_unit_id,
        org_unit_id=letter.org_unit_id,
        signer_label=letter.signer_label,
        signer_name=signer_name,
        signer_post=signer_post,
        note=note,
        issued_on=issued_on,
        status="issued",
        supersedes_id=letter.id,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(new)
    db.session.flush()
    audit.record("letter.resign", new, changes=audit.snapshot(new), summary=f"{_summary(new)} ← #{letter.id}")
    return new


def save_target(school: OrgUnit, year: int, staff_count, class_count, user=None) -> LetterTarget:
    """Declare how many staff and classes the school has in the year (its in-school letter target)."""
    check_year(year)
    if not is_school(school):
        raise LetterError(_("In-school letters belong to a school."), "org_unit_id")
    for field, value in (("staff_count", staff_count), ("class_count", class_count)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= COUNT_MAX:
            raise LetterError(_("Give a whole number from 0 to %(n)d.", n=COUNT_MAX), field)
    target = db.session.scalar(
        select(LetterTarget).where(LetterTarget.org_unit_id == school.id, LetterTarget.year == year)
    )
    if target is None:
        target = LetterTarget(tenant_id=school.tenant_id, org_unit_id=school.id, year=year)
        db.session.add(target)
    target.staff_count, target.class_count = staff_count, class_count
    changes = audit.pending_changes(target)
    if changes:
        audit.record("letter_target.save", target, changes=changes, summary=f"{school.code} {year}")
    db.session.flush()
    return target
