"""`safegrid migrate-data`: copy every row (or one tenant's) from one database to another.

The target must be at this version's migration head (`safegrid db upgrade` against it first) and
hold nothing of what is copied. Rows keep their primary keys; tables go parents first
(`metadata.sorted_tables`), and rows of a self-referencing table (org units, grid cells,
letters) parents first too. Everything is written in one transaction: a refusal or an error
leaves the target as it was. PostgreSQL sequences then continue after the highest id, and the
row counts and checksums of source and target are compared.
"""

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import JSON, Connection, Engine, MetaData, Table, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import NullPool

from tenancy.backup import BackupError, sqlite
from tenancy.backup.digest import (
    TableCheck,
    compare,
    database_digests,
    existing_columns,
    is_tenant_owned,
    tenant_filter,
)
from tenancy.backup.schema import (
    app_tables,
    current_revision,
    describe_rows,
    dialect_of,
    head_revision,
    hide_password,
    tables_with_rows,
)

BATCH_SIZE = 5000


@dataclass
class MigrationReport:
    """What migrate-data copied and how source and target compare."""

    tenant: str | None
    copied: dict[str, int]
    skipped: list[str]
    tables: list[TableCheck]
    copy_seconds: float
    total_seconds: float

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.tables)


def _engine(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool)


@contextmanager
def _source_connection(url: str) -> Iterator[Connection]:
    """A connection that sees one consistent state of the source for the whole copy."""
    if dialect_of(url) == "sqlite":
        # Copy from a snapshot taken with the online backup API: the app may go on writing.
        with tempfile.TemporaryDirectory(prefix="safegrid-migrate-") as folder:
            snapshot = Path(folder) / "source.db"
            sqlite.snapshot(sqlite.database_path(url), snapshot)
            engine = _engine(f"sqlite:///{snapshot}")
            try:
                with engine.connect() as connection:
                    yield connection
            finally:
                engine.dispose()
        return
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield connection
    finally:
        engine.dispose()


def _detail(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)


def _check_revisions(source: Connection, target: Connection, target_url: str) -> None:
    head = head_revision()
    source_revision = current_revision(source)
    if source_revision != head:
        raise BackupError(
            f"the source database is at migration revision {source_revision or 'none'}, this version's head "
            f"is {head}: run `safegrid db upgrade` on the source first"
        )
    target_revision = current_revision(target)
    if target_revision != head:
        raise BackupError(
            f"the target database is at migration revision {target_revision or 'none (no schema)'}, this "
            f"version's head is {head}: run `SAFEGRID_DATABASE_URL={hide_password(target_url)} safegrid db "
            "upgrade` first"
        )


def _tenant_id(source: Connection, target: Connection, code: str) -> int:
    tenants = next(table for table in app_tables() if table.name == "tenants")
    tenant_id = source.scalar(select(tenants.c.id).where(tenants.c.code == code))
    if tenant_id is None:
        raise BackupError(f"the source database has no tenant with code {code!r}")
    if target.scalar(select(tenants.c.id).where(tenants.c.code == code)) is not None:
        raise BackupError(f"the target database already holds tenant {code!r}: nothing was copied")
    return tenant_id


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _parents_first(rows: list[dict], table: Table, references: list[str]) -> list[dict]:
    """Order rows so that every row comes after the rows of the same table it points to."""
    key = next(iter(table.primary_key.columns)).name
    pending = {row[key]: row for row in rows}
    ordered: list[dict] = []
    placed: set = set()
    while pending:
        ready = [
            row_id
            for row_id, row in pending.items()
            if all(row[ref] is None or row[ref] in placed or row[ref] not in pending for ref in references)
        ]
        if not ready:
            raise BackupError(f"{table.name}: rows refer to each other in a loop; cannot order them")
        for row_id in ready:
            ordered.append(pending.pop(row_id))
            placed.add(row_id)
    return ordered


def _insert_table(target_table: Table) -> Table:
    """The table as written: JSON columns keep SQL NULL apart from a JSON null (see _rows)."""
    copy = target_table.to_metadata(MetaData())
    for column in copy.columns:
        if isinstance(column.type, JSON):
            column.type = JSON(none_as_null=True)
    return copy


def _rows(
    source: Connection, table: Table, columns: list[str], tenant_id: int | None, batch_size: int
) -> Iterator[list[dict]]:
    """Yield the rows to copy in batches of dicts, ordered by primary key."""
    json_columns = [name for name in columns if isinstance(table.c[name].type, JSON)]
    flags = [table.c[name].is_(None).label(f"__null_{name}") for name in json_columns]
    statement = select(*(table.c[name] for name in columns), *flags).order_by(*table.primary_key.columns)
    condition = tenant_filter(table, tenant_id)
    if condition is not None:
        statement = statement.where(condition)
    result = source.execution_options(yield_per=batch_size).execute(statement)
    for partition in result.partitions():
        batch = []
        for row in partition:
            values = row._mapping
            item = {name: values[name] for name in columns}
            for name in json_columns:
                if not values[f"__null_{name}"] and item[name] is None:
                    item[name] = JSON.NULL  # a stored JSON null, not SQL NULL
            batch.append(item)
        yield batch


def _reset_sequences(target: Connection, tables: list[Table]) -> None:
    """Make each serial/identity id continue after the highest id now in the table (PostgreSQL)."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = target.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": f'"{table.name}"', "column": column.name},
        )
        if sequence:
            highest = target.scalar(select(func.max(column))) or 0
            target.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
                {"sequence": sequence, "next": highest + 1},
            )


def migrate_data(
    source_url: str,
    target_url: str,
    tenant_code: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str, int, float], None] | None = None,
) -> MigrationReport:
    """Copy all rows (or one tenant's) from source to target and compare the two afterwards."""
    started = time.monotonic()
    dialect_of(source_url)  # refuses a malformed or unsupported URL before anything is opened
    target_dialect = dialect_of(target_url)
    if source_url == target_url:
        raise BackupError("--from and --to name the same database")
    tables = app_tables()
    target_engine = _engine(target_url)
    try:
        with _source_connection(source_url) as source:
            with target_engine.connect() as target:
                _check_revisions(source, target, target_url)
                tenant_id = _tenant_id(source, target, tenant_code) if tenant_code else None
                if tenant_id is None:
                    held = tables_with_rows(target)
                    if held:
                        raise BackupError(
                            f"the target database is not empty ({describe_rows(held)}): migrate-data copies "
                            "all tenants into an empty database only (or use --tenant CODE)"
                        )
                columns = existing_columns(source, tables)
                copy_started = time.monotonic()
                copied, skipped = _copy(source, target, tables, columns, tenant_id, batch_size, progress)
                if target_dialect == "postgresql":
                    _reset_sequences(target, tables)
                target.commit()
                copy_seconds = time.monotonic() - copy_started
                expected = database_digests(source, tables, columns, tenant_id)
            with target_engine.connect() as target:
                found = database_digests(target, tables, existing_columns(target, tables), tenant_id)
    except OperationalError as error:
        raise BackupError(f"cannot reach a database: {_detail(error)}") from None
    finally:
        target_engine.dispose()
    return MigrationReport(
        tenant=tenant_code,
        copied=copied,
        skipped=skipped,
        tables=compare(expected, found),
        copy_seconds=copy_seconds,
        total_seconds=time.monotonic() - started,
    )


def _copy(
    source: Connection,
    target: Connection,
    tables: list[Table],
    columns: dict[str, list[str]],
    tenant_id: int | None,
    batch_size: int,
    progress: Callable[[str, int, float], None] | None,
) -> tuple[dict[str, int], list[str]]:
    copied: dict[str, int] = {}
    skipped: list[str] = []
    for table in tables:
        if table.name not in columns:
            continue
        if tenant_id is not None and not is_tenant_owned(table):
            skipped.append(table.name)  # global tables (platform operators) stay behind
            continue
        started = time.monotonic()
        insert = _insert_table(table).insert()
        batches = _rows(source, table, columns[table.name], tenant_id, batch_size)
        references = _self_references(table)
        if references:
            rows = _parents_first([row for batch in batches for row in batch], table, references)
            batches = iter([rows[i : i + batch_size] for i in range(0, len(rows), batch_size)])
        count = 0
        for batch in batches:
            try:
                target.execute(insert, batch)
            except IntegrityError as error:
                target.rollback()
                raise BackupError(
                    f"the target refused a row of {table.name} ({_detail(error)}); ids are kept, so the "
                    "target must not hold rows with the same ids: nothing was copied"
                ) from None
            count += len(batch)
        copied[table.name] = count
        if progress:
            progress(table.name, count, time.monotonic() - started)
    return copied, skipped
