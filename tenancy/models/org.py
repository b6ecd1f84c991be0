"""The district's org tree: bureau → central / directly-run schools → schools and grade groups."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow


class OrgUnit(TenantScoped, db.Model):
    """A unit of the three-level grid; `path` ("/1/7/42/") makes subtree queries one LIKE."""

    __tablename__ = "org_units"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        Index("ix_org_units_tenant_path", "tenant_id", "path"),
        Index("ix_org_units_tenant_parent", "tenant_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    path: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["OrgUnit"]] = relationship(back_populates="parent", order_by="OrgUnit.code")

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the bureau down to this unit, read from the path."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def contains(self, other: "OrgUnit") -> bool:
        """Whether `other` is this unit or lies below it."""
        return other.tenant_id == self.tenant_id and other.path.startswith(self.path)

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code}>"


class OrgUnitParentPeriod(TenantScoped, db.Model):
    """Which parent a unit had from when to when, so records keep the parent of their time."""

    __tablename__ = "org_unit_parent_periods"
    __table_args__ = (Index("ix_org_unit_parent_periods_unit", "tenant_id", "org_unit_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    parent: Mapped[OrgUnit | None] = relationship(foreign_keys=[parent_id])
