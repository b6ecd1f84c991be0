"""What a database holds: its migration revision, the app's tables, whether they hold rows."""

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Connection, Table, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from tenancy.backup import BackupError
from tenancy.backup.digest import is_tenant_owned, tenant_filter
from tenancy.extensions import db


def app_tables() -> list[Table]:
    """Every table of the models, parents before children."""
    return list(db.metadata.sorted_tables)


def head_revision() -> str:
    """Return the migration head of this version of the code."""
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    return scripts.get_current_head()


def is_known_revision(revision: str) -> bool:
    """Return whether this version's migrations contain `revision`."""
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    return any(script.revision == revision for script in scripts.walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """Return the migration revision the database is at (None: never migrated)."""
    # Read alembic_version directly: MigrationContext would log its setup on every call.
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(versions) > 1:
        raise BackupError(f"the database has several migration heads ({', '.join(versions)})")
    return versions[0] if versions else None


def tables_with_rows(connection: Connection, tenant_id: int | None = None) -> dict[str, int]:
    """Return {table: rows} of the app's tables that hold rows (of one tenant when given)."""
    present = set(inspect(connection).get_table_names())
    counts = {}
    for table in app_tables():
        if table.name not in present or (tenant_id is not None and not is_tenant_owned(table)):
            continue
        statement = select(func.count()).select_from(table)
        condition = tenant_filter(table, tenant_id)
        if condition is not None:
            statement = statement.where(condition)
        rows = connection.scalar(statement)
        if rows:
            counts[table.name] = rows
    return counts


def describe_rows(counts: dict[str, int], limit: int = 4) -> str:
    """Return 'rows in tenants: 2, users: 9, … and 5 more tables' for a message."""
    parts = [f"{name}: {rows:,}" for name, rows in list(counts.items())[:limit]]
    more = f" and {len(counts) - limit} more tables" if len(counts) > limit else ""
    return "rows in " + ", ".join(parts) + more


def dialect_of(url: str) -> str:
    """Return 'sqlite' or 'postgresql' for a database URL, refusing anything else."""
    try:
        name = make_url(url).get_backend_name()
    except ArgumentError:
        raise BackupError(f"{hide_password(url)} is not a database URL") from None
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"{name} databases are not supported: use SQLite or PostgreSQL")
    return name


def hide_password(url: str) -> str:
    """Return the URL with its password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
