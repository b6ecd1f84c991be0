"""Reads of joint-prevention contacts: a school's list, the ones an incident needs, the gaps.

Which partners matter for which incident kind is decided here, in INCIDENT_PARTNERS (codes of
schools/incidents kinds → partner kinds in the order to call them). Gaps: a school lacks a
partner kind when it has no *active* contact of that kind; the bureau must see schools without
a police station or a CDC contact (REQUIRED_KINDS), the other missing kinds are listed beside.
Schools are the active record-keeping units of the subtree other than grade groups.
"""

from dataclasses import dataclass

from sqlalchemy import Select, case, select

from schools.contacts.models import PARTNER_KINDS, Contact
from schools.units import NOT_SCHOOLS
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import visible_org_ids

REQUIRED_KINDS = ("police_station", "cdc")

INCIDENT_PARTNERS: dict[str, tuple[str, ...]] = {
    "injury": ("township_hospital",),
    "fire": ("fire_brigade", "township_hospital"),
    "food_poisoning": ("cdc", "township_hospital", "fever_clinic"),
    "traffic": ("police_station", "township_hospital"),
    "drowning": ("township_government", "police_station", "township_hospital"),
    "violence_bullying": ("police_station", "community"),
    "infectious_disease": ("cdc", "township_hospital", "fever_clinic"),
    "natural_disaster": ("township_government", "police_station", "township_hospital"),
    "other": ("police_station", "township_government"),
}

KIND_ORDER = case(
    {kind: position for position, kind in enumerate(PARTNER_KINDS)}, value=Contact.kind, else_=99
)


def school_contacts(school: OrgUnit, include_inactive: bool = True) -> list[Contact]:
    """Return a school's contacts by partner kind (active first within a kind)."""
    query = select(Contact).where(Contact.org_unit_id == school.id)
    if not include_inactive:
        query = query.where(Contact.is_active)
    return list(db.session.scalars(query.order_by(KIND_ORDER, Contact.is_active.desc(), Contact.id)))


def contacts_school(unit: OrgUnit) -> OrgUnit:
    """Return the unit whose contacts apply to `unit` (a grade group uses its school's)."""
    return unit.parent if unit.kind == "grade_group" and unit.parent is not None else unit


def contacts_for_incident(school: OrgUnit, incident_kind: str) -> list[Contact]:
    """Return the school's active contacts to call for an incident of this kind, in calling order."""
    kinds = INCIDENT_PARTNERS.get(incident_kind, INCIDENT_PARTNERS["other"])
    found = db.session.scalars(
        select(Contact)
        .where(Contact.org_unit_id == contacts_school(school).id, Contact.is_active, Contact.kind.in_(kinds))
        .order_by(Contact.id)
    ).all()
    return sorted(found, key=lambda contact: kinds.index(contact.kind))


def visible_contacts(user=None) -> Select:
    """Select the contacts of every school in the user's subtrees."""
    return select(Contact).where(Contact.org_unit_id.in_(visible_org_ids(user)))


def filter_contacts(
    query: Select, *, school_id: int | None = None, kind: str = "", include_inactive: bool = False
) -> Select:
    """Narrow a contact query by school, partner kind and active state."""
    if school_id is not None:
        query = query.where(Contact.org_unit_id == school_id)
    if kind:
        query = query.where(Contact.kind == kind)
    if not include_inactive:
        query = query.where(Contact.is_active)
    return query


@dataclass
class ContactGap:
    """A school missing a required partner contact, and the other kinds it lacks."""

    school: OrgUnit
    missing_required: list[str]
    missing_other: list[str]


def gap_schools(unit: OrgUnit) -> Select:
    """Select the schools whose contacts are checked: active, record-keeping, not grade groups."""
    return (
        select(OrgUnit)
        .where(
            OrgUnit.path.startswith(unit.path, autoescape=True),
            OrgUnit.is_active,
            OrgUnit.kind.not_in((*NOT_SCHOOLS, "grade_group")),
        )
        .order_by(OrgUnit.path)
    )


def contact_gaps(unit: OrgUnit) -> tuple[list[ContactGap], int]:
    """Return the schools of the unit's subtree missing a police-station or CDC contact, and how
    many schools were checked (two queries however many schools)."""
    schools = db.session.scalars(gap_schools(unit)).all()
    have: dict[int, set[str]] = {}
    rows = db.session.execute(
        select(Contact.org_unit_id, Contact.kind)
        .where(
            Contact.is_active,
            Contact.org_unit_id.in_(gap_schools(unit).with_only_columns(OrgUnit.id).order_by(None)),
        )
        .distinct()
    )
    for school_id, kind in rows:
        have.setdefault(school_id, set()).add(kind)
    gaps = []
    for school in schools:
        kinds = have.get(school.id, set())
        required = [kind for kind in REQUIRED_KINDS if kind not in kinds]
        if required:
            other = [kind for kind in PARTNER_KINDS if kind not in kinds and kind not in REQUIRED_KINDS]
            gaps.append(ContactGap(school, required, other))
    return gaps, len(schools)
