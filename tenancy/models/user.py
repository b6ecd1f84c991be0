"""People who log in: tenant users with role grants, API tokens, and platform operators."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow
from tenancy.models.org import OrgUnit


def new_session_token() -> str:
    """Return a fresh session token; changing it ends every session of its owner."""
    return secrets.token_urlsafe(16)


class LoginAccount(UserMixin):
    """Columns and behaviour shared by tenant users and platform operators."""

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(12))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    session_token: Mapped[str] = mapped_column(String(40), default=new_session_token)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    login_kind = "u"
    is_operator = False

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled accounts cannot hold a session
        return bool(self.is_enabled)

    def get_id(self) -> str:
        # The token rides in the session id, so rotating it invalidates every cookie at once.
        return f"{self.login_kind}:{self.id}:{self.session_token}"

    def end_all_sessions(self) -> None:
        """Invalidate every session cookie this account holds."""
        self.session_token = new_session_token()


class Operator(LoginAccount, db.Model):
    """A platform operator: runs the installation, creates tenants; belongs to no tenant."""

    __tablename__ = "operators"

    username: Mapped[str] = mapped_column(String(60), unique=True)
    login_kind = "o"
    is_operator = True

    @property
    def tenant_id(self) -> None:
        return None


class User(TenantScoped, LoginAccount, db.Model):
    """A person of one tenant; what they may see and do comes from their role grants."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "username"),)

    username: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20), default="")

    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleGrant.id"
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(TenantScoped, db.Model):
    """One role of a user at one org unit; it reaches that unit's whole subtree."""

    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id", "role", "org_unit_id"),
        Index("ix_role_grants_tenant_org", "tenant_id", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(30))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")
    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")


class ApiToken(TenantScoped, db.Model):
    """A per-user API token; only its SHA-256 is stored, the secret is shown once."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_tenant_user", "tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
