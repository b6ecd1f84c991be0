"""Tenant and subtree scoping, enforced in one place for every ORM query.

A session-level hook adds `tenant_id = current tenant` to every ORM select, update and
delete touching a tenant-owned table, and refuses such a query when no tenant is set
(fail closed). `unscoped()` is the one explicit escape: platform-operator code, the
login lookup, and jobs that name their tenant themselves.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import abort, g, has_app_context
from flask_login import current_user
from sqlalchemy import event, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from tenancy.extensions import db
from tenancy.models import OrgUnit, TenantScoped, User

M = TypeVar("M")


class TenantContextMissing(RuntimeError):
    """A tenant-owned table was queried with no tenant in context."""


class CrossTenantWrite(RuntimeError):
    """An object of another tenant was about to be written."""


def current_tenant_id() -> int | None:
    """Return the tenant of the current request, job or CLI command."""
    return g.get("tenant_id") if has_app_context() else None


def _is_unscoped() -> bool:
    return has_app_context() and g.get("unscoped_depth", 0) > 0


@contextmanager
def tenant_context(tenant_id: int) -> Iterator[None]:
    """Run the block as tenant `tenant_id` (jobs and CLI commands use this)."""
    previous = g.get("tenant_id")
    g.tenant_id = tenant_id
    try:
        yield
    finally:
        g.tenant_id = previous


@contextmanager
def unscoped() -> Iterator[None]:
    """Lift the tenant filter for the block: platform operator code and login lookups only."""
    g.unscoped_depth = g.get("unscoped_depth", 0) + 1
    try:
        yield
    finally:
        g.unscoped_depth -= 1


def _touches_tenant_tables(state: ORMExecuteState) -> bool:
    if any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers):
        return True
    # `select(func.count()).select_from(Model)` names the model only in its FROM, which
    # all_mappers does not list: look for tenant-owned models among the tables it reads.
    # (Plain Core tables, `Model.__table__`, are outside the ORM filter by design.)
    return any(
        issubclass(getattr(entity, "class_", object), TenantScoped)
        for entity in (
            getattr(table, "_annotations", {}).get("parententity")
            for table in find_tables(state.statement, include_crud=True)
        )
    )


@event.listens_for(Session, "do_orm_execute")
def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if _is_unscoped() or not _touches_tenant_tables(state):
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantContextMissing("tenant-owned data queried without a tenant in context")
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


@event.listens_for(Session, "before_flush")
def _stamp_and_guard_tenant(session: Session, flush_context, instances) -> None:
    if _is_unscoped():
        return
    tenant_id = current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise TenantContextMissing(f"cannot save {obj!r} without a tenant in context")
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{obj!r} belongs to another tenant")
    if tenant_id is None:
        return  # a commit after leaving a tenant context: objects were stamped inside it
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{obj!r} belongs to another tenant")


# --- subtree scope -------------------------------------------------------------------


def visible_paths(user=None) -> list[str]:
    """Return the org-tree paths whose subtrees the user's role grants reach."""
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False) or user.is_operator:
        return []
    paths = sorted({grant.org_unit.path for grant in user.grants})
    # Drop paths already covered by a shorter one, so the SQL stays small.
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def subtree_filter(path_column, paths: list[str]):
    """Return a SQL condition: `path_column` lies in one of the subtrees."""
    if not paths:
        return path_column.is_(None) & path_column.isnot(None)  # matches nothing
    return or_(*[path_column.startswith(p, autoescape=True) for p in paths])


def visible_org_ids(user=None):
    """Return a select of the ids of every org unit the user can see."""
    return select(OrgUnit.id).where(subtree_filter(OrgUnit.path, visible_paths(user)))


def sees_org(org: OrgUnit, user=None) -> bool:
    """Whether the org unit lies in the user's subtrees."""
    return any(org.path.startswith(p) for p in visible_paths(user))


def tenant_root() -> OrgUnit | None:
    """Return the current tenant's bureau (the root of its org tree)."""
    return db.session.scalar(select(OrgUnit).where(OrgUnit.level == 1))


def scope_org_of(obj) -> OrgUnit | None:
    """Return the org unit an object belongs to, for subtree checks.

    Most records belong to the unit in their `org_unit_id`; users belong to the whole
    tenant, so only people who see the bureau can open them.
    """
    if isinstance(obj, OrgUnit):
        return obj
    if isinstance(obj, User):
        return tenant_root()
    return db.session.get(OrgUnit, obj.org_unit_id)


def get_scoped_or_404(model: type[M], object_id, permission: str | None = None) -> M:
    """Load an object of the current tenant within the user's subtrees, else 404.

    With `permission`, a visible object the user may not act on is a 403.
    """
    from tenancy.roles import can  # roles depend on scoping helpers, not the other way round

    obj = db.session.get(model, object_id) if object_id is not None else None
    if obj is None or obj.tenant_id != current_tenant_id():
        abort(404)
    org = scope_org_of(obj)
    if org is None or not sees_org(org):
        abort(404)
    if permission is not None and not can(permission, org):
        abort(403)
    return obj
