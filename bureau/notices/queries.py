"""Reads of notices: the list's filters, the schools a user may write to and their open hazards."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from bureau.notices.access import issuing_units, notice_paths, visible_notices
from bureau.notices.models import AWAITING_ANSWER, NOTICE_STATUSES, Notice
from schools.hazards.models import Hazard
from schools.units import NOT_SCHOOLS
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import subtree_filter

BOXES = ("issued", "received")


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


@dataclass
class NoticeFilters:
    """The list's filters, read from the query string (bad values are dropped)."""

    status: str = ""
    year: int | None = None
    school_id: int | None = None
    box: str = ""  # issued: by my level; received: sent to my school(s) by a level above
    overdue: bool = False

    @classmethod
    def from_args(cls, args) -> "NoticeFilters":
        year = _int(args.get("year"))
        return cls(
            status=args.get("status", "") if args.get("status") in NOTICE_STATUSES else "",
            year=year if year is not None and 2000 <= year <= 2100 else None,
            school_id=_int(args.get("school_id")),
            box=args.get("box", "") if args.get("box") in BOXES else "",
            overdue=args.get("overdue") in ("1", "true", "on"),
        )

    def apply(self, query: Select, today: date, user=None) -> Select:
        """Narrow a notice query by these filters."""
        if self.status:
            query = query.where(Notice.status == self.status)
        if self.year is not None:
            query = query.where(Notice.year == self.year)
        if self.school_id is not None:
            query = query.where(Notice.org_unit_id == self.school_id)
        if self.overdue:
            query = query.where(Notice.status.in_(AWAITING_ANSWER), Notice.deadline < today)
        mine = [unit.id for unit in issuing_units(user)]
        if self.box == "issued":
            query = query.where(Notice.issuer_unit_id.in_(mine))
        elif self.box == "received":
            query = query.where(Notice.issuer_unit_id.notin_(mine))
        return query


def notice_list(filters: NoticeFilters, today: date, user=None) -> Select:
    """The notices the user may read, newest first."""
    query = filters.apply(visible_notices(user), today, user)
    return query.order_by(Notice.year.desc(), Notice.number.desc())


def notice_years(user=None) -> list[int]:
    """Years that have notices the user may read, newest first (for the year filter)."""
    query = visible_notices(user).with_only_columns(Notice.year).distinct().order_by(Notice.year.desc())
    return list(db.session.scalars(query))


def target_schools(issuer: OrgUnit) -> Select:
    """Active record-keeping units below an issuing unit, with their count of hazards not yet closed."""
    open_count = (
        select(func.count(Hazard.id))
        .where(Hazard.org_unit_id == OrgUnit.id, Hazard.status != "verified")
        .correlate(OrgUnit)
        .scalar_subquery()
    )
    return (
        select(OrgUnit, open_count.label("open_hazards"))
        .where(
            subtree_filter(OrgUnit.path, [issuer.path]),
            OrgUnit.id != issuer.id,
            OrgUnit.kind.notin_(NOT_SCHOOLS),
            OrgUnit.is_active,
        )
        .order_by(OrgUnit.path)
    )


def school_filter_choices(user=None) -> list[OrgUnit]:
    """Schools the user sees notices of (for the list's school filter)."""
    query = (
        select(OrgUnit)
        .where(subtree_filter(OrgUnit.path, notice_paths(user)), OrgUnit.kind.notin_(NOT_SCHOOLS))
        .order_by(OrgUnit.path)
    )
    return list(db.session.scalars(query))


def hazards_to_list(school: OrgUnit) -> list[Hazard]:
    """The school's hazards that can be listed on a notice (not yet verified), most recent first."""
    return list(
        db.session.scalars(
            select(Hazard)
            .where(Hazard.org_unit_id == school.id, Hazard.status != "verified")
            .order_by(Hazard.found_on.desc(), Hazard.id.desc())
        )
    )
