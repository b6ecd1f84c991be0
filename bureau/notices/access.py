"""Who sees a notice, who may issue, answer and decide, on top of the tenant scope.

A notice is seen by those who see the school it is sent to and by the level that issued it
(even after the school has moved to another central school). Grid keepers do not see
notices: they are addressed to the school's safety officer.
"""

from flask_login import current_user
from sqlalchemy import Select, or_, select

from bureau.notices.models import Notice
from schools.units import keeps_records
from tenancy.models import OrgUnit
from tenancy.roles import PERMISSIONS, Role, can
from tenancy.scoping import subtree_filter


def _user(user):
    return user if user is not None else current_user


def notice_paths(user=None) -> list[str]:
    """Return the org-tree paths through which the user may read notices (grid keepers excluded)."""
    user = _user(user)
    if not getattr(user, "is_authenticated", False) or user.is_operator:
        return []
    paths = sorted({grant.org_unit.path for grant in user.grants if grant.role != Role.GRID_KEEPER})
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def visible_notices(user=None) -> Select:
    """Select the notices the user may read: sent to their schools or issued by their level."""
    units = select(OrgUnit.id).where(subtree_filter(OrgUnit.path, notice_paths(user)))
    return select(Notice).where(or_(Notice.org_unit_id.in_(units), Notice.issuer_unit_id.in_(units)))


def sees_notice(notice: Notice, user=None) -> bool:
    """Whether the user may read the notice."""
    paths = notice_paths(user)
    return any(
        unit is not None and unit.path.startswith(p)
        for unit in (notice.school, notice.issuer_unit)
        for p in paths
    )


def issuing_units(user=None) -> list[OrgUnit]:
    """Return the units on whose behalf the user may issue notices (their central school, the bureau)."""
    user = _user(user)
    if not getattr(user, "is_authenticated", False) or user.is_operator:
        return []
    roles = PERMISSIONS["notice.issue"]
    units = {
        grant.org_unit.id: grant.org_unit
        for grant in user.grants
        if grant.role in roles and (grant.org_unit.level == 1 or grant.org_unit.kind == "central")
    }
    return sorted(units.values(), key=lambda unit: (unit.level, unit.code))


def may_issue(issuer_unit: OrgUnit, school: OrgUnit, user=None) -> bool:
    """A central school issues to its own schools, the bureau to any school of the tenant."""
    if issuer_unit.id not in {unit.id for unit in issuing_units(user)}:
        return False
    return (
        school.id != issuer_unit.id
        and keeps_records(school)
        and school.is_active
        and issuer_unit.contains(school)
    )


def may_answer(notice: Notice, user=None) -> bool:
    """The school's safety officer answers."""
    return can("notice.answer", notice.school, _user(user))


def may_decide(notice: Notice, user=None) -> bool:
    """The level that issued the notice accepts or rejects the answer."""
    return notice.issuer_unit_id in {unit.id for unit in issuing_units(user)}
