"""Reading rollups for dashboards, exports and the API: figures of a unit, its children, categories.

Unfiltered views read the rollup rows (a handful of rows per unit). Views filtered by hazard
category or level, school kind or public/private are computed from the records of the
subtree with the same SQL (measures.own_rows), so they are exact but cost more on a large
district. pandas only shapes the results: months in order, sums over the range, rates.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Integer, cast, func, select

from bureau.rollups.measures import BUCKETS, category_rows, own_rows
from bureau.rollups.models import (
    CATEGORY_FIGURES,
    FLOWS,
    STOCKS,
    UNIT_FIGURES,
    CategoryMonth,
    RollupVersion,
    UnitMonth,
)
from bureau.rollups.refresh import make_scope, months_to_cover
from schools.hazards.codes import CATEGORIES, LEVELS
from schools.submissions.due import add_months
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.kinds import SCHOOL_KINDS
from tenancy.scoping import current_tenant_id

DEFAULT_MONTHS = 12
OWNERSHIP = ("public", "private")


def rollup_version() -> int:
    """The current tenant's rollup version: it changes whenever any of its rollups does."""
    return db.session.scalar(select(RollupVersion.version)) or 0


def parse_month(text: str | None) -> date | None:
    """'2026-03' → date(2026, 3, 1); anything else → None."""
    try:
        return datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    """What a dashboard shows: a range of months and optional filters, all kept in the URL."""

    first: date
    last: date
    category: str = ""
    level: str = ""  # hazard level
    kind: str = ""  # school kind
    ownership: str = ""  # public or private

    @classmethod
    def from_args(cls, args, today: date) -> "Filters":
        """Read the filters from a query string; unknown values are dropped, the range is put in order."""
        current = today.replace(day=1)
        last = min(parse_month(args.get("to")) or current, current)
        first = parse_month(args.get("from")) or add_months(last, 1 - DEFAULT_MONTHS)
        first, last = min(first, last), max(first, last)
        return cls(
            first=first,
            last=last,
            category=args.get("category", "") if args.get("category") in CATEGORIES else "",
            level=args.get("level", "") if args.get("level") in LEVELS else "",
            kind=args.get("kind", "") if args.get("kind") in SCHOOL_KINDS else "",
            ownership=args.get("ownership", "") if args.get("ownership") in OWNERSHIP else "",
        )

    def to_args(self) -> dict[str, str]:
        """The query-string form, for links that keep the view."""
        args = {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}
        for name in ("category", "level", "kind", "ownership"):
            if getattr(self, name):
                args[name] = getattr(self, name)
        return args

    @property
    def from_records(self) -> bool:
        """Whether the figures must be computed from the records (a filter beyond the months)."""
        return bool(self.category or self.level or self.kind or self.ownership)

    @property
    def months(self) -> list[date]:
        months = [self.first]
        while months[-1] < self.last:
            months.append(add_months(months[-1], 1))
        return months

    def previous(self) -> "Filters":
        """The same view one month earlier (for 'change since last month')."""
        return replace(self, first=add_months(self.first, -1), last=add_months(self.last, -1))


def _subtree_units(unit: OrgUnit, filters: Filters):
    query = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
    if filters.kind:
        query = query.where(OrgUnit.kind == filters.kind)
    if filters.ownership:
        query = query.where(OrgUnit.is_private == (filters.ownership == "private"))
    return query


def _records_rows(unit: OrgUnit, filters: Filters) -> pd.DataFrame:
    """Own rows of every unit below `unit` that passes the filters, computed from the records."""
    scope = make_scope(
        units=_subtree_units(unit, filters), category=filters.category or None, level=filters.level or None
    )
    own = own_rows(scope, months_to_cover(scope)).subquery("own")
    query = select(
        own.c.u.label("org_unit_id"), own.c.p.label("period"), *(own.c[name] for name in UNIT_FIGURES)
    ).where(own.c.p <= filters.last)
    return _frame(query, ["org_unit_id", "period", *UNIT_FIGURES])


def _frame(query, columns: list[str]) -> pd.DataFrame:
    """A DataFrame of a query's rows (plain tuples: pandas is slow on Row objects)."""
    return pd.DataFrame([tuple(row) for row in db.session.execute(query)], columns=columns)


def _rollup_rows(unit_ids: list[int], filters: Filters) -> pd.DataFrame:
    table = UnitMonth.__table__.c
    # Core tables get no tenant filter from the session hook: naming the tenant also lets the
    # primary key (tenant_id, org_unit_id, period) serve the query.
    query = select(table.org_unit_id, table.period, *(table[name] for name in UNIT_FIGURES)).where(
        table.tenant_id == current_tenant_id(),
        table.org_unit_id.in_(unit_ids),
        table.period.between(filters.first, filters.last),
    )
    return _frame(query, ["org_unit_id", "period", *UNIT_FIGURES])


def _series(rows: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Monthly figures summed over the given rows, one row per month of the range (zeros filled)."""
    months = pd.Index(filters.months, name="period")
    if rows.empty:
        return pd.DataFrame(0, index=months, columns=list(UNIT_FIGURES))
    summed = rows.groupby("period")[list(UNIT_FIGURES)].sum()
    return summed.reindex(months, fill_value=0).astype(int)


def unit_series(unit: OrgUnit, filters: Filters) -> pd.DataFrame:
    """The unit's figures (its whole subtree) per month of the range."""
    rows = _records_rows(unit, filters) if filters.from_records else _rollup_rows([unit.id], filters)
    return with_rates(_series(rows, filters))


def totals(series: pd.DataFrame) -> pd.Series:
    """Flows summed over the range and stocks at its last month, with rates."""
    if series.empty:
        return pd.Series(0, index=list(UNIT_FIGURES))
    result = pd.concat([series[list(FLOWS)].sum(), series[list(STOCKS)].iloc[-1]])
    return with_rates(result.to_frame().T).iloc[0]


def children_table(unit: OrgUnit, filters: Filters) -> pd.DataFrame:
    """One row per child unit: its code, name, kind, flows over the range, stocks at the end, rates."""
    children = (
        select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.is_private, OrgUnit.is_active)
        .where(OrgUnit.parent_id == unit.id)
        .order_by(OrgUnit.code)
    )
    info = _frame(children, ["org_unit_id", "code", "name", "kind", "is_private", "is_active"])
    if filters.from_records:
        rows = _records_rows(unit, filters)
        child_of = _child_of(unit, rows["org_unit_id"].unique().tolist())
        rows["org_unit_id"] = rows["org_unit_id"].map(child_of)
        rows = rows.dropna(subset=["org_unit_id"])
        rows["org_unit_id"] = rows["org_unit_id"].astype(int)
        if filters.kind or filters.ownership:
            info = info[info["org_unit_id"].isin(rows["org_unit_id"].unique())]
    else:
        rows = _rollup_rows(info["org_unit_id"].tolist(), filters)
    figures = _range_figures(rows, filters)
    table = info.merge(figures, how="left", left_on="org_unit_id", right_index=True).fillna(
        {name: 0 for name in UNIT_FIGURES}
    )
    table = table[(table["is_active"]) | (table[list(UNIT_FIGURES)].sum(axis=1) > 0)]
    return with_rates(table.astype({name: int for name in UNIT_FIGURES})).reset_index(drop=True)


def _range_figures(rows: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Per unit: flows summed over the range, stocks of the last month."""
    if rows.empty:
        return pd.DataFrame(columns=list(UNIT_FIGURES))
    rows = rows.groupby(["org_unit_id", "period"], as_index=False)[list(UNIT_FIGURES)].sum()
    in_range = rows[(rows["period"] >= filters.first) & (rows["period"] <= filters.last)]
    flows = in_range.groupby("org_unit_id")[list(FLOWS)].sum()
    stocks = rows[rows["period"] == filters.last].set_index("org_unit_id")[list(STOCKS)]
    return flows.join(stocks, how="outer").fillna(0)


def _child_of(unit: OrgUnit, unit_ids: list[int]) -> dict[int, int]:
    """Map units below `unit` to the child of `unit` they lie under (the unit's own records: none)."""
    paths = db.session.execute(select(OrgUnit.id, OrgUnit.path).where(OrgUnit.id.in_(unit_ids))).all()
    result = {}
    for unit_id, path in paths:
        ids = [int(part) for part in path.strip("/").split("/")]
        if len(ids) > unit.level:
            result[unit_id] = ids[unit.level]
    return result


def category_matrix(unit: OrgUnit, filters: Filters, figure: str = "found") -> pd.DataFrame:
    """Rows: the unit's children; columns: categories; values: `figure` summed over the range.

    The bureau's children (level 2) read the category rollups; below that, and for filtered
    views, the records are grouped directly.
    """
    if figure not in CATEGORY_FIGURES:
        raise ValueError(figure)
    children = db.session.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.code)
    ).all()
    names = dict(children)
    if unit.level == 1 and not filters.from_records:
        table = CategoryMonth.__table__.c
        query = (
            select(table.org_unit_id, table.category, cast(func.sum(table[figure]), Integer))
            .where(
                table.tenant_id == current_tenant_id(),
                table.org_unit_id.in_(names),
                table.period.between(filters.first, filters.last),
            )
            .group_by(table.org_unit_id, table.category)
        )
        frame = _frame(query, ["org_unit_id", "category", "value"])
    else:
        frame = _records_categories(unit, filters, figure)
    matrix = frame.pivot_table(
        index="org_unit_id", columns="category", values="value", aggfunc="sum", fill_value=0
    )
    matrix = matrix.reindex(index=list(names), columns=list(CATEGORIES), fill_value=0).astype(int)
    matrix.index = pd.Index(list(names), name="org_unit_id")
    matrix.attrs["names"] = names
    return matrix


def _records_categories(unit: OrgUnit, filters: Filters, figure: str) -> pd.DataFrame:
    scope = make_scope(
        units=_subtree_units(unit, filters), category=filters.category or None, level=filters.level or None
    )
    detail = category_rows(scope, OrgUnit.id).subquery("detail")
    query = (
        select(detail.c.u, detail.c.category, cast(func.sum(detail.c[figure]), Integer))  # not NUMERIC
        .where(detail.c.p.between(filters.first, filters.last))
        .group_by(detail.c.u, detail.c.category)
    )
    frame = _frame(query, ["org_unit_id", "category", "value"])
    child_of = _child_of(unit, frame["org_unit_id"].unique().tolist())
    frame["org_unit_id"] = frame["org_unit_id"].map(child_of)
    return frame.dropna(subset=["org_unit_id"]).astype({"org_unit_id": int})


def top_schools(
    unit: OrgUnit, filters: Filters, figure: str = "overdue_end", limit: int = 10
) -> pd.DataFrame:
    """The record-keeping units below `unit` with the highest `figure` (a stock at the range's end)."""
    if filters.from_records:
        rows = _records_rows(unit, filters)
        rows = rows[rows["period"] == filters.last]
    else:
        table = UnitMonth.__table__.c
        query = (
            select(table.org_unit_id, table.period, *(table[name] for name in UNIT_FIGURES))
            .join(OrgUnit, OrgUnit.id == table.org_unit_id)
            .where(
                table.tenant_id == current_tenant_id(),
                table.period == filters.last,
                OrgUnit.path.startswith(unit.path),
                OrgUnit.kind.notin_(("bureau", "central")),
                table[figure] > 0,
            )
            .order_by(table[figure].desc(), table.org_unit_id)
            .limit(limit)
        )
        rows = _frame(query, ["org_unit_id", "period", *UNIT_FIGURES])
    rows = rows[rows[figure] > 0].sort_values([figure, "org_unit_id"], ascending=[False, True]).head(limit)
    units = select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id).where(
        OrgUnit.id.in_(rows["org_unit_id"].tolist())
    )
    info = _frame(units, ["org_unit_id", "code", "name", "parent_id"])
    return with_rates(
        info.merge(rows, on="org_unit_id").sort_values([figure, "code"], ascending=[False, True])
    )


# Upper bounds of the days buckets, in order; the last (over 60 days) has none.
BOUNDS = np.array([np.nan if high is None else high for _low, high in BUCKETS.values()], dtype=float)


def _rate(frame: pd.DataFrame, numerator: str, denominator: str) -> np.ndarray:
    """numerator / denominator per row, NaN where the denominator is 0 (no rate, not a zero rate)."""
    top, bottom = frame[numerator].to_numpy(dtype=float), frame[denominator].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / bottom, np.nan)


def _p90(frame: pd.DataFrame) -> np.ndarray:
    """The bound of the days bucket that 90% of each row's rectifications stayed within (NaN: none, or over 60)."""
    counts = frame[list(BUCKETS)].to_numpy(dtype=float)
    total = counts.sum(axis=1)
    reached = counts.cumsum(axis=1) >= 0.9 * total[:, None]
    return np.where(total > 0, BOUNDS[reached.argmax(axis=1)], np.nan)


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the derived figures: rectification rate, timeliness, on-time report rate, mean and p90 days.

    Vectorized: the API and every dashboard table go through here.
    """
    frame = frame.copy()
    frame["rectification_rate"] = np.round(_rate(frame, "found_closed", "found"), 4)
    frame["on_time_rate"] = np.round(_rate(frame, "rectified_on_time", "rectified"), 4)
    frame["report_rate"] = np.round(_rate(frame, "reports_on_time", "reports_due"), 4)
    frame["mean_days"] = np.round(_rate(frame, "rect_days", "rectified"), 1)
    frame["p90_days"] = _p90(frame)
    return frame
