"""Record audit events; every write of every feature goes through `record`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g, has_app_context, has_request_context, request
from flask_login import current_user
from sqlalchemy import inspect

from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.roles import roles_of
from tenancy.scoping import current_tenant_id

# Columns never copied into the trail: secrets and bookkeeping.
SECRET_COLUMNS = {"password_hash", "session_token", "token_hash", "failed_login_count", "locked_until"}


def plain(value: Any) -> Any:
    """Return a value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj) -> dict[str, dict[str, Any]]:
    """Return every set column of a new object as {column: {"before": None, "after": value}}."""
    changes = {}
    for attr in inspect(obj).mapper.column_attrs:
        value = getattr(obj, attr.key)
        if attr.key not in SECRET_COLUMNS and value is not None:
            changes[attr.key] = {"before": None, "after": plain(value)}
    return changes


def pending_changes(obj) -> dict[str, dict[str, Any]]:
    """Return {column: {"before": …, "after": …}} for the object's unflushed changes."""
    state = inspect(obj)
    if state.pending or state.transient:
        return snapshot(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SECRET_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[attr.key] = {"before": plain(before), "after": plain(after)}
    return changes


def set_actor(label: str) -> None:
    """Name who acts when no user is logged in (CLI commands, jobs)."""
    g.audit_actor = label


def current_actor() -> tuple[int | None, str, str, int | None]:
    """Return (user id, label, roles, org unit id) of whoever is acting now."""
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        if current_user.is_operator:
            return None, f"operator:{current_user.username}", "operator", None
        grants = current_user.grants
        org_id = grants[0].org_unit_id if grants else None
        return current_user.id, current_user.username, ",".join(roles_of(current_user)), org_id
    label = g.get("audit_actor", "system") if has_app_context() else "system"
    return None, label, "", None


def record(
    action: str,
    obj=None,
    *,
    changes: dict[str, Any] | None = None,
    summary: str = "",
    tenant_id: int | None = None,
) -> AuditEvent:
    """Append an audit event for `action` on `obj`; diff its pending changes unless given."""
    if obj is not None and changes is None:
        changes = pending_changes(obj)
    if obj is not None:
        db.session.flush()  # so new objects have their id
    user_id, actor, roles, org_id = current_actor()
    event = AuditEvent(
        tenant_id=tenant_id or getattr(obj, "tenant_id", None) or current_tenant_id(),
        user_id=user_id,
        actor=actor,
        roles=roles[:255],
        org_unit_id=org_id,
        ip=request.remote_addr if has_request_context() else None,
        request_id=g.get("request_id") if has_app_context() else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) is not None else None,
        summary=summary[:255],
        changes=changes or {},
    )
    db.session.add(event)
    return event
