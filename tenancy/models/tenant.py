"""A tenant is one district education bureau; settings override defaults kept in code."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow


class Tenant(db.Model):
    """One district bureau; nothing of one tenant is ever visible to another."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Tenant {self.code}>"


class TenantSetting(TenantScoped, db.Model):
    """One overridden setting of a tenant; absent keys fall back to tenancy.settings.DEFAULTS."""

    __tablename__ = "tenant_settings"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[Any] = mapped_column(JSON)
