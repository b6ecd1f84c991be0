"""Reads of hazards: the ledger view's filters, overdue (derived) and the supervision list."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, select

from schools.hazards.codes import CATEGORIES, LEVELS, STATUSES
from schools.hazards.models import OPEN_STATUSES, Hazard
from tenancy.models import OrgUnit
from tenancy.scoping import subtree_filter, visible_paths
from tenancy.settings.store import tenant_today  # noqa: F401  (re-exported for views)


def overdue_condition(today: date):
    """SQL for 'overdue': deadline passed and not yet rectified. Never stored."""
    return and_(Hazard.deadline.isnot(None), Hazard.deadline < today, Hazard.status.in_(OPEN_STATUSES))


@dataclass
class LedgerFilters:
    """The ledger view's filters, read from the query string (bad values are dropped)."""

    month: str = ""  # YYYY-MM
    category: str = ""
    level: str = ""
    status: str = ""
    cell: int | None = None
    overdue: bool = False

    @classmethod
    def from_args(cls, args) -> "LedgerFilters":
        month = args.get("month", "")
        try:
            datetime.strptime(month, "%Y-%m")
        except ValueError:
            month = ""
        cell = args.get("cell", "")
        return cls(
            month=month,
            category=args.get("category", "") if args.get("category") in CATEGORIES else "",
            level=args.get("level", "") if args.get("level") in LEVELS else "",
            status=args.get("status", "") if args.get("status") in STATUSES else "",
            cell=int(cell) if cell.isdigit() else None,
            overdue=args.get("overdue") in ("1", "true", "on"),
        )

    def apply(self, query: Select, today: date) -> Select:
        """Narrow a hazard query by these filters."""
        if self.month:
            year, month = map(int, self.month.split("-"))
            start = date(year, month, 1)
            end = date(year + (month == 12), month % 12 + 1, 1)
            query = query.where(Hazard.found_on >= start, Hazard.found_on < end)
        for name in ("category", "level", "status"):
            value = getattr(self, name)
            if value:
                query = query.where(getattr(Hazard, name) == value)
        if self.cell is not None:
            query = query.where(Hazard.grid_cell_id == self.cell)
        if self.overdue:
            query = query.where(overdue_condition(today))
        return query


SORTS = {
    "seq": Hazard.id,
    "found_on": Hazard.found_on,
    "deadline": Hazard.deadline,
    "level": Hazard.level,
    "status": Hazard.status,
    "category": Hazard.category,
}


def supervision_list(user=None) -> Select:
    """Major hazards not yet verified (挂牌督办) in the user's subtrees, oldest first."""
    school_ids = select(OrgUnit.id).where(subtree_filter(OrgUnit.path, visible_paths(user)))
    return (
        select(Hazard)
        .where(Hazard.level == "major", Hazard.status != "verified", Hazard.org_unit_id.in_(school_ids))
        .order_by(Hazard.found_on)
    )


def escalated_to(unit: OrgUnit) -> Select:
    """Hazards escalated to a unit and still waiting there."""
    return select(Hazard).where(Hazard.escalated_to_id == unit.id, Hazard.status == "escalated")
