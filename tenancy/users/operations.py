"""Writes to users and their role grants."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from tenancy import audit
from tenancy.auth.passwords import hash_password, password_problem
from tenancy.extensions import db
from tenancy.models import OrgUnit, RoleGrant, User, utcnow
from tenancy.roles import grant_problem

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,60}$")


class UserError(ValueError):
    """A user change that breaks a rule; `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def create_user(
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    org: OrgUnit,
    phone: str = "",
    check_strength: bool = True,
) -> User:
    """Add a user with one role grant."""
    username = username.strip()
    if not USERNAME.match(username):
        raise UserError(_("User names use 2–60 letters, digits, '.', '_' or '-'."), "username")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(_("The user name %(name)s is taken.", name=username), "username")
    problem = password_problem(password) if check_strength else None
    if problem:
        raise UserError(problem, "password")
    role_problem = grant_problem(role, org)
    if role_problem:
        raise UserError(role_problem, "role")
    user = User(
        tenant_id=org.tenant_id,
        username=username,
        display_name=display_name.strip() or username,
        phone=phone.strip(),
        password_hash=hash_password(password),
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    audit.record("user.create", user, summary=username)
    add_grant(user, role, org)
    return user


def update_user(user: User, *, display_name: str, phone: str) -> User:
    """Change a user's name and phone."""
    user.display_name, user.phone = display_name.strip() or user.username, phone.strip()
    changes = audit.pending_changes(user)
    if changes:
        audit.record("user.update", user, changes=changes, summary=user.username)
    return user


def set_enabled(user: User, enabled: bool) -> User:
    """Enable or disable a user; disabling ends all of their sessions at once."""
    if user.is_enabled != enabled:
        user.is_enabled = enabled
        if not enabled:
            user.end_all_sessions()
        audit.record("user.enable" if enabled else "user.disable", user, summary=user.username)
    return user


def reset_password(user: User, password: str) -> User:
    """Set a new password for a user and end their sessions."""
    problem = password_problem(password)
    if problem:
        raise UserError(problem, "password")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.failed_login_count, user.locked_until = 0, None
    user.end_all_sessions()
    audit.record("user.password_reset", user, changes={}, summary=user.username)
    return user


def unlock(user: User) -> User:
    """Lift a login lockout."""
    user.failed_login_count, user.locked_until = 0, None
    audit.record("user.unlock", user, changes={}, summary=user.username)
    return user


def add_grant(user: User, role: str, org: OrgUnit) -> RoleGrant:
    """Grant a role at an org unit."""
    problem = grant_problem(role, org)
    if problem:
        raise UserError(problem, "role")
    if any(g.role == role and g.org_unit_id == org.id for g in user.grants):
        raise UserError(_("The user already holds this role there."), "role")
    grant = RoleGrant(tenant_id=user.tenant_id, user=user, role=role, org_unit=org)
    db.session.add(grant)
    audit.record("role_grant.create", grant, summary=f"{user.username}: {role}@{org.code}")
    return grant


def remove_grant(grant: RoleGrant) -> None:
    """Withdraw a role grant; the user's sessions end so the change applies at once."""
    user = grant.user
    audit.record(
        "role_grant.delete",
        grant,
        changes={
            "role": {"before": grant.role, "after": None},
            "org_unit_id": {"before": grant.org_unit_id, "after": None},
        },
        summary=f"{user.username}: {grant.role}@{grant.org_unit.code}",
    )
    user.grants.remove(grant)
    user.end_all_sessions()
