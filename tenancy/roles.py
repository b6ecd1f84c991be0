"""Roles, what each may do, and where each may be granted (SPEC §1)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tenancy.models import OrgUnit


class Role(StrEnum):
    BUREAU_ADMIN = "bureau_admin"
    BUREAU_STAFF = "bureau_staff"
    CENTRAL_REVIEWER = "central_reviewer"
    SCHOOL_ADMIN = "school_admin"
    GRID_KEEPER = "grid_keeper"
    VIEWER = "viewer"


ROLE_LABELS = {
    Role.BUREAU_ADMIN: _l("Bureau admin"),
    Role.BUREAU_STAFF: _l("Bureau staff"),
    Role.CENTRAL_REVIEWER: _l("Central-school reviewer"),
    Role.SCHOOL_ADMIN: _l("School safety officer"),
    Role.GRID_KEEPER: _l("Grid keeper"),
    Role.VIEWER: _l("Viewer"),
}

# Which org-unit levels a role may be granted at.
ROLE_LEVELS = {
    Role.BUREAU_ADMIN: {1},
    Role.BUREAU_STAFF: {1},
    Role.CENTRAL_REVIEWER: {2},
    Role.SCHOOL_ADMIN: {2, 3},
    Role.GRID_KEEPER: {2, 3},
    Role.VIEWER: {1, 2, 3},
}

ALL_ROLES = frozenset(Role)

# Permission → roles holding it. A grant's permission reaches its org unit's subtree.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "read": ALL_ROLES,
    "org.manage": frozenset({Role.BUREAU_ADMIN}),
    "user.manage": frozenset({Role.BUREAU_ADMIN}),
    "settings.manage": frozenset({Role.BUREAU_ADMIN}),
    "audit.read": frozenset({Role.BUREAU_ADMIN}),
    "grid.manage": frozenset({Role.SCHOOL_ADMIN}),
    # Hazards: schools record and rectify, keepers report in their cells, higher levels review.
    "hazard.report": frozenset({Role.SCHOOL_ADMIN, Role.GRID_KEEPER}),
    "hazard.manage": frozenset({Role.SCHOOL_ADMIN}),
    "hazard.review": frozenset({Role.CENTRAL_REVIEWER, Role.BUREAU_STAFF, Role.BUREAU_ADMIN}),
    "ledger.import": frozenset({Role.SCHOOL_ADMIN}),
    # Rectification notices: central schools and the bureau issue them, the school answers.
    "notice.issue": frozenset({Role.CENTRAL_REVIEWER, Role.BUREAU_STAFF, Role.BUREAU_ADMIN}),
    "notice.answer": frozenset({Role.SCHOOL_ADMIN}),
    # Monthly reports: schools submit, central schools review theirs, the bureau reviews all.
    "report.submit": frozenset({Role.SCHOOL_ADMIN}),
    "report.review": frozenset({Role.CENTRAL_REVIEWER, Role.BUREAU_STAFF, Role.BUREAU_ADMIN}),
    # The rest of a school's safety work (SPEC §6): the school records its own.
    "drill.record": frozenset({Role.SCHOOL_ADMIN}),
    "incident.report": frozenset({Role.SCHOOL_ADMIN}),
    "contact.manage": frozenset({Role.SCHOOL_ADMIN}),
    "duty.manage": frozenset({Role.SCHOOL_ADMIN}),
    # Responsibility letters are issued by every level to the one below (and inside a school).
    "letter.manage": frozenset(
        {Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.CENTRAL_REVIEWER, Role.SCHOOL_ADMIN}
    ),
    # Zero-report periods: the bureau switches them on and off, schools report daily.
    "zeroreport.manage": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
    "zeroreport.submit": frozenset({Role.SCHOOL_ADMIN}),
    # The annual assessment: the bureau admin keeps the rubric and closes the year, bureau staff
    # compute it, and entered scores come from the bureau (all schools) or a central school (its own).
    "assessment.manage": frozenset({Role.BUREAU_ADMIN}),
    "assessment.compute": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
    "assessment.score": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.CENTRAL_REVIEWER}),
}


def grant_problem(role: str, org: OrgUnit) -> str | None:
    """Return why `role` cannot be granted at `org`, or None when it can."""
    if role not in ROLE_LEVELS:
        return str(_l("Unknown role: %(role)s", role=role))
    if org.level not in ROLE_LEVELS[Role(role)]:
        return str(
            _l("The role %(role)s cannot be granted at %(org)s.", role=ROLE_LABELS[Role(role)], org=org.name)
        )
    if role == Role.CENTRAL_REVIEWER and org.kind != "central":
        return str(_l("Central-school reviewers are granted at a central school."))
    if role in (Role.SCHOOL_ADMIN, Role.GRID_KEEPER) and org.kind == "central":
        return str(_l("School roles are granted at a school, not a central school."))
    return None


def can(permission: str, org: OrgUnit | None = None, user=None) -> bool:
    """Whether the user holds `permission` at `org` (or anywhere, when org is None)."""
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False) or user.is_operator:
        return False
    roles = PERMISSIONS[permission]
    return any(grant.role in roles and (org is None or grant.org_unit.contains(org)) for grant in user.grants)


def roles_of(user) -> list[str]:
    """Return the user's roles as 'role@ORGCODE' strings, for audit records."""
    return [f"{grant.role}@{grant.org_unit.code}" for grant in user.grants]
