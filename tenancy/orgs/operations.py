"""Writes to the org tree: create, edit, move (keeping parent history), (de)activate."""

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, OrgUnitParentPeriod, utcnow
from tenancy.orgs.kinds import placement_problem

# Sent with unit_ids=[…] when units' subtrees changed (a move, a closing), for whatever
# keeps figures per subtree (bureau/rollups) to recompute them after the commit.
units_changed = Namespace().signal("org-units-changed")


class OrgError(ValueError):
    """A change to the org tree that would break its rules; `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check_code(code: str, exclude_id: int | None = None) -> None:
    if not code or len(code) > 40:
        raise OrgError(_("A code of 1 to 40 characters is required."), "code")
    query = select(OrgUnit.id).where(OrgUnit.code == code)
    if exclude_id is not None:
        query = query.where(OrgUnit.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise OrgError(_("The code %(code)s is already used.", code=code), "code")


def _check_name(name: str) -> None:
    if not name or len(name) > 120:
        raise OrgError(_("A name of 1 to 120 characters is required."), "name")


def create_org(
    *, code: str, name: str, kind: str, parent: OrgUnit | None, is_private: bool = False, audited: bool = True
) -> OrgUnit:
    """Add a unit under `parent` (None only for a tenant's bureau)."""
    code, name = code.strip(), name.strip()
    _check_code(code)
    _check_name(name)
    level = 1 if parent is None else parent.level + 1
    problem = placement_problem(kind, level, parent and parent.kind, parent and parent.level)
    if problem:
        raise OrgError(problem, "kind")
    org = OrgUnit(code=code, name=name, kind=kind, level=level, parent=parent, is_private=is_private)
    if parent is not None:
        org.tenant_id = parent.tenant_id
    db.session.add(org)
    db.session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    db.session.add(OrgUnitParentPeriod(tenant_id=org.tenant_id, org_unit_id=org.id, parent_id=org.parent_id))
    if audited:
        audit.record("org_unit.create", org, changes=audit.snapshot(org), summary=f"{org.code} {org.name}")
    return org


def update_org(org: OrgUnit, *, name: str, kind: str, is_private: bool, code: str | None = None) -> OrgUnit:
    """Change a unit's name, kind, code or private flag."""
    name = name.strip()
    _check_name(name)
    if code is not None and code.strip() != org.code:
        _check_code(code.strip(), exclude_id=org.id)
        org.code = code.strip()
    parent = org.parent
    problem = placement_problem(kind, org.level, parent and parent.kind, parent and parent.level)
    if problem:
        raise OrgError(problem, "kind")
    if kind != org.kind and any(child.kind == "grade_group" for child in org.children) and kind == "central":
        raise OrgError(_("A unit with grade groups cannot become a central school."), "kind")
    org.name, org.kind, org.is_private = name, kind, is_private
    changes = audit.pending_changes(org)
    if changes:
        audit.record("org_unit.update", org, changes=changes, summary=f"{org.code} {org.name}")
        units_changed.send(org, unit_ids=[org.id])  # names and kinds show in the dashboards' figures
    return org


def move_org(org: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move a unit (and its subtree) under another parent of the same level, keeping history."""
    if org.level == 1:
        raise OrgError(_("The bureau cannot be moved."), "parent")
    if new_parent.id == org.parent_id:
        return org
    if org.contains(new_parent):
        raise OrgError(_("A unit cannot move under itself or its own subtree."), "parent")
    problem = placement_problem(org.kind, org.level, new_parent.kind, new_parent.level)
    if problem:
        raise OrgError(problem, "parent")
    now = utcnow()
    current = db.session.scalar(
        select(OrgUnitParentPeriod).where(
            OrgUnitParentPeriod.org_unit_id == org.id, OrgUnitParentPeriod.ended_at.is_(None)
        )
    )
    if current is not None:
        current.ended_at = now
    db.session.add(
        OrgUnitParentPeriod(
            tenant_id=org.tenant_id, org_unit_id=org.id, parent_id=new_parent.id, started_at=now
        )
    )
    old_path, new_path = org.path, f"{new_parent.path}{org.id}/"
    before_parent = org.parent
    org.parent = new_parent
    changes = {
        "parent_id": {"before": before_parent.id if before_parent else None, "after": new_parent.id},
        "path": {"before": old_path, "after": new_path},
    }
    audit.record(
        "org_unit.move",
        org,
        changes=changes,
        summary=f"{org.code}: {before_parent.name if before_parent else ''} → {new_parent.name}",
    )
    # Re-root the whole subtree in one statement (the tenant filter applies to ORM updates).
    db.session.execute(
        update(OrgUnit)
        .where(OrgUnit.path.startswith(old_path, autoescape=True))
        .values(path=new_path + func.substr(OrgUnit.path, len(old_path) + 1))
        .execution_options(synchronize_session="fetch")
    )
    units_changed.send(org, unit_ids=[before_parent.id, new_parent.id] if before_parent else [new_parent.id])
    return org


def set_active(org: OrgUnit, active: bool) -> OrgUnit:
    """Close or reopen a unit; closing keeps all of its history."""
    if org.level == 1 and not active:
        raise OrgError(_("The bureau cannot be closed."), "is_active")
    if not active and any(child.is_active for child in org.children):
        raise OrgError(_("Close or move the units below it first."), "is_active")
    if org.is_active != active:
        org.is_active = active
        audit.record("org_unit.reopen" if active else "org_unit.close", org, summary=f"{org.code} {org.name}")
        units_changed.send(org, unit_ids=[org.id])
    return org
