"""Helpers shared by the flags tests."""

from datetime import date, timedelta

from sqlalchemy import select

from bureau.flags.models import Flag
from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.settings.store import tenant_today
from tests.fixtures.jobs import release_delayed  # noqa: F401  (used by the flags tests)


def unit(code: str) -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def open_flags(code: str | None = None, kind: str | None = None) -> set[tuple[str, str, str]]:
    """Return the open flags as (unit code, kind, subject)."""
    query = (
        select(OrgUnit.code, Flag.kind, Flag.subject)
        .join(OrgUnit, OrgUnit.id == Flag.org_unit_id)
        .where(Flag.cleared_at.is_(None))
    )
    if code:
        query = query.where(OrgUnit.code == code)
    if kind:
        query = query.where(Flag.kind == kind)
    return {tuple(row) for row in db.session.execute(query)}


def flags_of(subject: str) -> list[Flag]:
    """Return every flag (open and cleared) about a subject, oldest first."""
    return db.session.scalars(select(Flag).where(Flag.subject == subject).order_by(Flag.id)).all()


def overdue_hazard(
    code: str = "S11", text: str = "消防通道堵塞", level: str = "general", user=None, **values
):
    """Report a hazard found ten days ago whose deadline passed three days ago."""
    today = tenant_today()
    values = {"deadline": today - timedelta(days=3)} | values
    data = HazardInput(
        found_on=today - timedelta(days=10),
        location="教学楼一楼",
        category="fire",
        description=text,
        level=level,
        **values,
    )
    return report_hazard(unit(code), data, user)


def months_ago(months: int, today: date | None = None) -> date:
    """Return the first day of the month `months` before the current local month."""
    today = today or tenant_today()
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
