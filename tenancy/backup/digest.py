"""Row counts and checksums of tables, computed the same way on SQLite and PostgreSQL.

Each row is written as canonical JSON (values in column order: timestamps in UTC ISO form, dates
and times ISO, JSON documents with sorted keys, SQL NULL apart from a JSON null) and hashed with
SHA-256; a table's checksum is the sum of its rows' hashes modulo 2**256. The sum does not depend
on the order rows come back in (PostgreSQL's collation orders text keys unlike SQLite), and a
missing, extra, duplicated or changed row changes it.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, Connection, Table, inspect, select
from sqlalchemy.sql.elements import ColumnElement

ALGORITHM = "sha256 of each row's canonical JSON, summed modulo 2**256 (v1)"
MODULUS = 1 << 256
BATCH = 5000


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat() if value.tzinfo is not None else value.isoformat()


def _iso(value: date | time) -> str:
    return value.isoformat()


# Looked up by exact type (faster than a chain of isinstance for half a million rows); anything
# else JSON cannot write goes through str().
_CONVERTERS = {
    datetime: _timestamp,
    date: _iso,
    time: _iso,
    Decimal: lambda value: str(value.normalize()),
    bytes: bytes.hex,
    memoryview: lambda value: value.tobytes().hex(),
}
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def canonical(value):
    """Return a JSON-ready form of a column value that is the same whichever database gave it."""
    convert = _CONVERTERS.get(type(value))
    return value if convert is None else convert(value)


def row_hash(values: Iterable) -> int:
    """Return one row's SHA-256 as an integer."""
    get = _CONVERTERS.get
    text = _ENCODER.encode(
        [value if (convert := get(type(value))) is None else convert(value) for value in values]
    )
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def existing_columns(connection: Connection, tables: Iterable[Table]) -> dict[str, list[str]]:
    """Return, per table of `tables` present in the database, its model columns present there."""
    inspector = inspect(connection)
    present = set(inspector.get_table_names())
    columns = {}
    for table in tables:
        if table.name in present:
            in_database = {column["name"] for column in inspector.get_columns(table.name)}
            columns[table.name] = [column.name for column in table.columns if column.name in in_database]
    return columns


def tenant_filter(table: Table, tenant_id: int | None) -> ColumnElement | None:
    """Return the condition selecting one tenant's rows of `table` (None: all rows)."""
    if tenant_id is None:
        return None
    if table.name == "tenants":
        return table.c.id == tenant_id
    if "tenant_id" in table.c:
        return table.c.tenant_id == tenant_id
    return None


def is_tenant_owned(table: Table) -> bool:
    """Return whether a one-tenant copy takes rows of `table` (the tenant row, tenant-owned tables)."""
    return table.name == "tenants" or "tenant_id" in table.c


def table_digest(
    connection: Connection, table: Table, columns: list[str], tenant_id: int | None = None
) -> dict:
    """Return {"rows": n, "sha256": hex} of the table (of one tenant's rows when tenant_id is given)."""
    selected = [table.c[name] for name in columns]
    json_nulls = [table.c[name].is_(None) for name in columns if isinstance(table.c[name].type, JSON)]
    json_positions = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    statement = select(*selected, *json_nulls)
    condition = tenant_filter(table, tenant_id)
    if condition is not None:
        statement = statement.where(condition)
    rows = 0
    total = 0
    result = connection.execution_options(yield_per=BATCH).execute(statement)
    width = len(selected)
    for partition in result.partitions():
        for row in partition:
            values = list(row[:width])
            for flag, position in zip(row[width:], json_positions, strict=True):
                # SQL NULL and a stored JSON null both read as None: keep them apart.
                values[position] = None if flag else {"json": values[position]}
            total = (total + row_hash(values)) % MODULUS
            rows += 1
    return {"rows": rows, "sha256": f"{total:064x}"}


def database_digests(
    connection: Connection,
    tables: Iterable[Table],
    columns: dict[str, list[str]],
    tenant_id: int | None = None,
) -> dict[str, dict]:
    """Return {table: {"rows", "sha256"}} for every table of `tables` named in `columns`.

    With a tenant, only the tenant row and the tenant-owned tables are counted.
    """
    digests = {}
    for table in tables:
        if table.name not in columns or (tenant_id is not None and not is_tenant_owned(table)):
            continue
        digests[table.name] = table_digest(connection, table, columns[table.name], tenant_id)
    return digests


@dataclass
class TableCheck:
    """One table's expected and found row count and checksum."""

    table: str
    expected_rows: int | None
    found_rows: int | None
    expected_sha256: str | None
    found_sha256: str | None

    @property
    def ok(self) -> bool:
        return (
            self.expected_rows is not None
            and self.expected_rows == self.found_rows
            and self.expected_sha256 == self.found_sha256
        )


def compare(expected: dict[str, dict], found: dict[str, dict]) -> list[TableCheck]:
    """Pair the expected and found digests table by table (expected tables first, in their order)."""
    names = list(expected) + [name for name in found if name not in expected]
    checks = []
    for name in names:
        want, got = expected.get(name, {}), found.get(name, {})
        checks.append(
            TableCheck(name, want.get("rows"), got.get("rows"), want.get("sha256"), got.get("sha256"))
        )
    return checks


def format_checks(checks: list[TableCheck], expected_label: str, found_label: str) -> list[str]:
    """Return the lines of a comparison table: rows on both sides and whether the checksums agree."""
    width = max([len("table"), *(len(check.table) for check in checks)])
    left, right = max(12, len(expected_label)), max(12, len(found_label))
    lines = [f"{'table':<{width}}  {expected_label:>{left}}  {found_label:>{right}}  checksum"]
    for check in checks:
        if check.expected_rows is None or check.found_rows is None:
            verdict = "MISSING"
        elif check.ok:
            verdict = "same"
        else:
            verdict = "DIFFERENT"
        expected = "-" if check.expected_rows is None else f"{check.expected_rows:,}"
        found = "-" if check.found_rows is None else f"{check.found_rows:,}"
        lines.append(f"{check.table:<{width}}  {expected:>{left}}  {found:>{right}}  {verdict}")
    return lines
