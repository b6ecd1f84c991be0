"""A school's joint-prevention partners (联防联控): police station, fire brigade, CDC and the rest."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

PARTNER_KINDS = {
    "police_station": _l("Police station"),
    "fire_brigade": _l("Fire and rescue station"),
    "cdc": _l("Centre for disease control"),
    "township_hospital": _l("Township hospital"),
    "township_government": _l("Township government"),
    "community": _l("Community or village committee"),
    "fever_clinic": _l("Hospital fever clinic"),
}


class Contact(TenantScoped, db.Model):
    """One partner unit of a school with its responsible person and phone; several per kind allowed."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_tenant_unit_kind", "tenant_id", "org_unit_id", "kind", "is_active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    kind: Mapped[str] = mapped_column(String(30))
    unit_name: Mapped[str] = mapped_column(String(120))
    person: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(30))
    notes: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    school = relationship("OrgUnit")

    @property
    def kind_label(self) -> str:
        return str(PARTNER_KINDS.get(self.kind, self.kind))
