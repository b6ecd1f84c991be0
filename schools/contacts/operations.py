"""Writes to joint-prevention contacts: add, change, deactivate and reactivate. Never commits.

Rules:
- contacts belong to a school: a record-keeping unit other than a grade group (a grade group's
  partners are its school's);
- the phone is a Chinese mobile number (1[3-9] followed by nine digits) or a landline written with
  its area code and a hyphen (0571-88886666, 010-12345678), optionally followed by -extension
  (0571-88886666-801); spaces are dropped, a full-width hyphen is read as a hyphen;
- several contacts of one kind are allowed (two police stations near two campuses);
- a contact is never deleted, only deactivated: an inactive contact counts for no gap and is not
  shown on incident pages, and it can be reactivated.
Every write is audited.
"""

import re
from typing import Any

from flask_babel import gettext as _

from schools.contacts.models import PARTNER_KINDS, Contact
from schools.units import keeps_records
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow

PHONE_PATTERN = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}(?:-\d{1,6})?)$")
UNIT_NAME_MAX = 120
PERSON_MAX = 60
NOTES_MAX = 1000


class ContactError(ValueError):
    """A contact change that breaks a rule; `field` names the culprit."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def keeps_contacts(unit: OrgUnit) -> bool:
    """Schools keep partner contacts; grade groups use their school's."""
    return keeps_records(unit) and unit.kind != "grade_group"


def normalize_phone(text: str | None) -> str:
    """Return the phone without spaces if it is a mobile or an area-coded landline number."""
    phone = re.sub(r"\s+", "", text or "").replace("－", "-").replace("—", "-")
    if not phone:
        raise ContactError(_("Give a phone number."), "phone")
    if not PHONE_PATTERN.match(phone):
        raise ContactError(
            _(
                "Give a mobile number (11 digits, e.g. 13912345678) or a landline with its area code (e.g. 0571-88886666)."
            ),
            "phone",
        )
    return phone


def _text(values: dict[str, Any], name: str, limit: int, message: str | None, one_line: bool = True) -> str:
    text = str(values.get(name) or "").strip()
    if one_line:
        text = " ".join(text.split())
    if not text and message:
        raise ContactError(message, name)
    if len(text) > limit:
        raise ContactError(_("At most %(n)d characters.", n=limit), name)
    return text


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate a contact's fields; return them normalized (raises ContactError naming the field)."""
    kind = values.get("kind")
    if kind not in PARTNER_KINDS:
        raise ContactError(_("Choose the kind of partner unit."), "kind")
    return {
        "kind": kind,
        "unit_name": _text(values, "unit_name", UNIT_NAME_MAX, _("Give the partner unit's name.")),
        "person": _text(values, "person", PERSON_MAX, _("Give the responsible person.")),
        "phone": normalize_phone(values.get("phone")),
        "notes": _text(values, "notes", NOTES_MAX, None, one_line=False),
    }


def add_contact(school: OrgUnit, values: dict[str, Any]) -> Contact:
    """Add a partner contact to a school."""
    if not keeps_contacts(school):
        raise ContactError(_("Grade groups use their school's contacts."), "school_id")
    contact = Contact(tenant_id=school.tenant_id, org_unit_id=school.id, is_active=True, **clean(values))
    db.session.add(contact)
    db.session.flush()
    audit.record("contact.create", contact, summary=f"{school.code} {contact.kind} {contact.unit_name}")
    return contact


def update_contact(contact: Contact, values: dict[str, Any]) -> Contact:
    """Change a contact's kind, unit, person, phone or notes."""
    for name, value in clean(values).items():
        setattr(contact, name, value)
    changes = audit.pending_changes(contact)
    if changes:
        contact.updated_at = utcnow()
        audit.record(
            "contact.update", contact, changes=changes, summary=f"{contact.school.code} {contact.unit_name}"
        )
    return contact


def set_active(contact: Contact, active: bool) -> Contact:
    """Deactivate a contact (kept for history) or bring it back."""
    if contact.is_active == active:
        return contact
    contact.is_active = active
    contact.updated_at = utcnow()
    audit.record(
        "contact.reactivate" if active else "contact.deactivate",
        contact,
        changes={"is_active": {"before": not active, "after": active}},
        summary=f"{contact.school.code} {contact.unit_name}",
    )
    return contact
