"""/api/v1/rollups: the figures of a unit's subtree for a month or a range, optionally per child unit."""

import math
from functools import partial

from flask import Blueprint

from bureau.rollups.cache import cached
from bureau.rollups.read import Filters, children_table, totals, unit_series
from bureau.rollups.schemas import RollupQuerySchema, RollupSchema
from tenancy.api.base import documented, load_args
from tenancy.models import OrgUnit
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today


def _plain(record: dict) -> dict:
    """NaN (a rate without a denominator) → None, numpy numbers → Python numbers."""
    result = {}
    for key, value in record.items():
        if hasattr(value, "item"):
            value = value.item()
        result[key] = None if isinstance(value, float) and math.isnan(value) else value
    return result


@documented(
    summary="Figures of a unit's subtree per month (rollups), with totals and optional child rows",
    response=RollupSchema(),
    query=RollupQuerySchema(),
)
def get_rollups():
    args = load_args(RollupQuerySchema())
    unit = get_scoped_or_404(OrgUnit, args["org_unit"])
    query = {key: args[key] for key in ("category", "level", "kind", "ownership") if key in args}
    today = tenant_today()
    if "from_" in args or "to" in args:  # a range; a missing end defaults as on the dashboards
        query.update({"from": args.get("from_", ""), "to": args.get("to", "")})
    else:  # one month: the one asked for, or this month
        query["from"] = query["to"] = args.get("period", f"{today:%Y-%m}")
    filters = Filters.from_args(query, today)
    parts = ("api", unit.id, today, filters.to_args(), args["children"])
    return cached(parts, partial(_answer, unit, filters, args["children"]))


def _answer(unit: OrgUnit, filters: Filters, with_children: bool) -> dict:
    series = unit_series(unit, filters)
    months = [{"period": f"{period:%Y-%m}", **_plain(row)} for period, row in series.to_dict("index").items()]
    answer = {
        "org_unit": unit,
        "from_": f"{filters.first:%Y-%m}",
        "to": f"{filters.last:%Y-%m}",
        "computed_from_records": filters.from_records,
        "totals": _plain(totals(series).to_dict()),
        "months": months,
    }
    if with_children:
        answer["children"] = [_plain(row) for row in children_table(unit, filters).to_dict("records")]
    return RollupSchema().dump(answer)


def register(bp: Blueprint) -> None:
    """Add the rollup endpoint to the API blueprint."""
    bp.add_url_rule("/rollups", view_func=get_rollups)
