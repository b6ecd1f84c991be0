"""Helpers for list pages: pagination and sorting from the query string."""

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import request
from sqlalchemy import Select, func, select

from tenancy.extensions import db

MAX_PER_PAGE = 200


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """Read a whole-number query argument, clamped to [low, high]; junk gives the default."""
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


def paginate(query: Select, *, per_page: int = 50, scalars: bool = True) -> Page:
    """Run one page of `query` (page and per_page from the query string)."""
    page = int_arg("page", 1, 1, 10**6)
    per_page = int_arg("per_page", per_page, 1, MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = result.scalars().all() if scalars else result.all()
    return Page(items, total or 0, page, per_page)


def sorted_by(query: Select, columns: dict[str, Any], default: str) -> tuple[Select, str]:
    """Order `query` by ?sort=name or ?sort=-name among the allowed columns."""
    wanted = request.args.get("sort", default)
    key = wanted.lstrip("-")
    if key not in columns:
        wanted, key = default, default.lstrip("-")
    column = columns[key]
    return query.order_by(column.desc() if wanted.startswith("-") else column.asc()), wanted
