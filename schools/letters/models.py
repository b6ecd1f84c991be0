"""Responsibility letters (安全责任书/责任状) and the in-school targets they are counted against.

Design:
- A `Letter` is one letter of one year at one of four tiers (TIERS):
  * ``bureau_central``: the bureau issues it to a level-2 unit: a central school, or a
    directly-run school (局直学校), which signs with the bureau directly;
  * ``central_school``: a central school issues it to one of its level-3 schools
    (kindergartens and teaching points included, grade groups never);
  * ``principal_staff``: inside a school, the principal issues it to a staff member or a
    department (``signer_label``: "总务处", "张老师");
  * ``teacher_class``: inside a school, for a class and its head teacher (``signer_label``:
    "三年级(2)班").
- ``issuer_unit_id`` is the unit that issues the letter; ``org_unit_id`` is the unit the letter
  belongs to: the receiving unit at the first two tiers, the school itself inside a school.
  Scope follows ``org_unit_id``, so the receiving unit and everyone above it (the issuer
  included) can see the letter, and nobody beside it can.
- ``signer_name``/``signer_post`` name the responsible person who signs (校长 王某); they may be
  blank when a letter is issued and are required when its signing is recorded.
- status: issued → signed → superseded. When the responsible person changes, recording the new
  signer marks the current letter superseded (kept as history) and issues a new letter, to be
  signed, that points at it through ``supersedes_id``. At most one letter per (year, tier, unit,
  signer_label) is not superseded (a partial unique index).
- The signed scan (PDF, JPEG or PNG) is stored like hazard evidence: type checked by content,
  outside the web root under a generated name, served only after the scope check.
- `LetterTarget` is what a school declares for a year: how many staff and classes it has, the
  number of in-school letters it needs (completion = signed / target).
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenancy.extensions import db
from tenancy.models.base import TenantScoped, UTCDateTime, utcnow

TIERS = {
    "bureau_central": _l("Bureau → central or directly-run school"),
    "central_school": _l("Central school → school"),
    "principal_staff": _l("Principal → staff"),
    "teacher_class": _l("Head teacher → class"),
}
UNIT_TIERS = ("bureau_central", "central_school")  # signed between org units
SCHOOL_TIERS = ("principal_staff", "teacher_class")  # signed inside a school
STATUSES = {
    "issued": _l("Issued, not signed"),
    "signed": _l("Signed"),
    "superseded": _l("Superseded"),
}


class Letter(TenantScoped, db.Model):
    """One responsibility letter of one year; a superseded letter stays as history."""

    __tablename__ = "letters"
    __table_args__ = (
        Index("ix_letters_tenant_year_tier", "tenant_id", "year", "tier", "status"),
        Index("ix_letters_tenant_unit_year", "tenant_id", "org_unit_id", "year"),
        Index("ix_letters_tenant_issuer_year", "tenant_id", "issuer_unit_id", "year"),
        Index(
            "uq_letters_current",
            "tenant_id",
            "year",
            "tier",
            "org_unit_id",
            "signer_label",
            unique=True,
            sqlite_where=text("status != 'superseded'"),
            postgresql_where=text("status != 'superseded'"),
        ),
        UniqueConstraint("tenant_id", "scan_stored_name", name="uq_letters_tenant_scan_stored_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    tier: Mapped[str] = mapped_column(String(20))
    issuer_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))  # receiving unit / the school
    signer_label: Mapped[str] = mapped_column(String(80), default="")  # in-school: staff, department, class
    signer_name: Mapped[str] = mapped_column(String(60), default="")
    signer_post: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(12), default="issued")
    issued_on: Mapped[date] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    scan_stored_name: Mapped[str | None] = mapped_column(String(80))  # unique per tenant
    scan_original_name: Mapped[str | None] = mapped_column(String(255))
    scan_content_type: Mapped[str | None] = mapped_column(String(40))
    scan_size: Mapped[int | None] = mapped_column(Integer)
    scan_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signed_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    issuer_unit = relationship("OrgUnit", foreign_keys=[issuer_unit_id])
    unit = relationship("OrgUnit", foreign_keys=[org_unit_id])
    supersedes: Mapped["Letter | None"] = relationship(remote_side=[id])

    @property
    def is_unit_tier(self) -> bool:
        return self.tier in UNIT_TIERS

    @property
    def signer(self) -> str:
        """Who signs: the receiving unit's name, or the staff/department/class inside a school."""
        return self.unit.name if self.is_unit_tier else self.signer_label

    @property
    def has_scan(self) -> bool:
        return self.scan_stored_name is not None


class LetterTarget(TenantScoped, db.Model):
    """How many staff and classes a school has in a year: the in-school letters it needs."""

    __tablename__ = "letter_targets"
    __table_args__ = (UniqueConstraint("tenant_id", "org_unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    year: Mapped[int] = mapped_column(Integer)
    staff_count: Mapped[int] = mapped_column(Integer, default=0)
    class_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    school = relationship("OrgUnit")
