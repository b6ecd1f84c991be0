"""Date arithmetic the rollup SQL needs, written once for PostgreSQL and SQLite.

SQLite keeps dates as ISO text ('2026-03-14') and timestamps as naive UTC text, so its
versions go through date()/julianday(); PostgreSQL has real date arithmetic and time zones.
"""

from sqlalchemy import Date, Integer, case, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeEngine


class month_of(FunctionElement):
    """The first day of the month of a date."""

    type = Date()
    inherit_cache = True


@compiles(month_of)
def _month_of_pg(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


class local_month(FunctionElement):
    """The first day of the local month of a UTC timestamp: local_month(ts, zone, offset_minutes).

    PostgreSQL converts with the zone's rules; SQLite, which knows no zones, adds the zone's
    current offset (China keeps no daylight saving, so the offset never changes there).
    """

    type = Date()
    inherit_cache = True


@compiles(local_month)
def _local_month_pg(element, compiler, **kw):
    stamp, zone, _offset = list(element.clauses)
    return (
        f"CAST(date_trunc('month', {compiler.process(stamp, **kw)} AT TIME ZONE "
        f"{compiler.process(zone, **kw)}) AS DATE)"
    )


@compiles(local_month, "sqlite")
def _local_month_sqlite(element, compiler, **kw):
    stamp, _zone, offset = list(element.clauses)
    return (
        f"date({compiler.process(stamp, **kw)}, "
        f"({compiler.process(offset, **kw)}) || ' minutes', 'start of month')"
    )


class days_between(FunctionElement):
    """Whole days from the first date to the second."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_pg(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"CAST(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}) AS INTEGER)"


class next_day(FunctionElement):
    """The day after a date."""

    type = Date()
    inherit_cache = True


@compiles(next_day)
def _next_day_pg(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} + 1 AS DATE)"


@compiles(next_day, "sqlite")
def _next_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+1 day')"


def later_of(first, second):
    """The later of two dates; `second` must not be NULL (NULL `first` gives `second`)."""
    return case((first > second, first), else_=second)


def flag(condition):
    """1 where the condition holds, else 0: a count when summed."""
    return case((condition, 1), else_=0)


def rows_select(name: str, columns: dict[str, TypeEngine], rows: list[tuple]):
    """A small constant table as a subquery (UNION ALL of literal rows: both databases take it).

    Built once per distinct table and reused (SQL constructs are immutable): the month lists of
    the rollups are the same for every refresh of a month, and building ~40 literal rows costs
    more Python time than the database spends on them.
    """
    key = (name, tuple((column, type(type_)) for column, type_ in columns.items()), tuple(rows))
    if key not in _ROWS_SELECTS:
        if len(_ROWS_SELECTS) >= ROWS_SELECTS_KEPT:
            _ROWS_SELECTS.clear()
        _ROWS_SELECTS[key] = _build_rows_select(name, columns, rows)
    return _ROWS_SELECTS[key]


ROWS_SELECTS_KEPT = 256
_ROWS_SELECTS: dict[tuple, object] = {}


def _build_rows_select(name: str, columns: dict[str, TypeEngine], rows: list[tuple]):
    selects = [
        select(
            *(
                literal(value, type_).label(column)
                for value, (column, type_) in zip(row, columns.items(), strict=True)
            )
        )
        for row in rows
    ]
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery(name)
