"""`safegrid backup` and `safegrid restore`: one archive of the database and the uploaded files."""

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import current_app
from sqlalchemy import Connection, create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from tenancy.backup import BackupError, postgres, sqlite
from tenancy.backup.archive import (
    DATABASE_MEMBERS,
    FILES_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    SKIPPED_UPLOADS,
    extract_verified,
    open_archive,
    sha256_of,
    upload_files,
    write_archive,
)
from tenancy.backup.digest import ALGORITHM, TableCheck, compare, database_digests, existing_columns
from tenancy.backup.schema import (
    app_tables,
    current_revision,
    describe_rows,
    dialect_of,
    head_revision,
    is_known_revision,
    tables_with_rows,
)
from tenancy.extensions import db


@dataclass
class BackupSummary:
    """What a backup wrote."""

    path: Path
    size: int
    dialect: str
    revision: str | None
    tables: int
    rows: int
    files: int
    seconds: float


@dataclass
class FileCheck:
    """Uploaded files expected by the manifest against those found on disk."""

    expected: int
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra)


@dataclass
class RestoreReport:
    """The comparison after a restore: tables and files against the manifest."""

    tables: list[TableCheck]
    files: FileCheck
    archive_revision: str | None
    head: str
    seconds: float

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.tables) and self.files.ok


def _app_version() -> str:
    try:
        return version("safegrid")
    except PackageNotFoundError:
        return "unknown"


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def _uploads() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _describe(connection: Connection) -> tuple[str | None, dict[str, list[str]], dict[str, dict]]:
    tables = app_tables()
    columns = existing_columns(connection, tables)
    return current_revision(connection), columns, database_digests(connection, tables, columns)


def _connect_error(error: OperationalError) -> BackupError:
    detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return BackupError(f"cannot reach the database: {detail}")


def create_backup(destination: Path) -> BackupSummary:
    """Write one archive of the configured database, the uploaded files and a manifest."""
    started = time.monotonic()
    url = _database_url()
    dialect = dialect_of(url)
    folder = destination.resolve().parent
    if not folder.is_dir():
        raise BackupError(f"the folder {folder} does not exist")
    if destination.resolve().is_relative_to(_uploads().resolve()):
        raise BackupError("write the backup outside the upload folder (it would be backed up next time)")
    # The database copy is kept beside the archive, on the disk chosen for backups (not /tmp).
    with tempfile.TemporaryDirectory(prefix=f".{destination.name}.", dir=folder) as work:
        database_file = Path(work) / "database"
        try:
            if dialect == "sqlite":
                sqlite.snapshot(sqlite.database_path(url), database_file)
                engine = create_engine(f"sqlite:///{database_file}", poolclass=NullPool)
                with engine.connect() as connection:
                    revision, columns, digests = _describe(connection)
                engine.dispose()
            else:
                postgres.tool("pg_dump")
                # pg_dump reads the snapshot this transaction exports, and the checksums are
                # computed inside the same transaction: both see exactly the same rows.
                with db.engine.connect() as connection:
                    connection = connection.execution_options(isolation_level="REPEATABLE READ")
                    with connection.begin():
                        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                        snapshot_id = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
                        postgres.dump(url, snapshot_id, database_file)
                        revision, columns, digests = _describe(connection)
        except OperationalError as error:
            raise _connect_error(error) from None
        # Files after the database: a file is stored before its row commits, so every file the
        # snapshot refers to is already on disk (a later upload may add an unreferenced one).
        files = upload_files(_uploads())
        size, digest = sha256_of(database_file)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": _app_version(),
            "alembic_revision": revision,
            "database": {
                "dialect": dialect,
                "member": DATABASE_MEMBERS[dialect],
                "size": size,
                "sha256": digest,
            },
            "checksum_algorithm": ALGORITHM,
            "tables": {name: {**digests[name], "columns": columns[name]} for name in digests},
            "files": files,
        }
        write_archive(destination, manifest, database_file, _uploads())
    return BackupSummary(
        path=destination.resolve(),
        size=destination.stat().st_size,
        dialect=dialect,
        revision=revision,
        tables=len(digests),
        rows=sum(item["rows"] for item in digests.values()),
        files=len(files),
        seconds=time.monotonic() - started,
    )


def restore_backup(source: Path, *, replace: bool) -> RestoreReport:
    """Restore the archive into the configured database and upload folder, then compare with the manifest.

    Refuses (changing nothing) an archive that is missing, corrupt, of another database kind or of
    a revision this version does not know, and a database that holds rows unless `replace`.
    """
    started = time.monotonic()
    url = _database_url()
    dialect = dialect_of(url)
    head = head_revision()
    with open_archive(source) as (tar, manifest):
        archived = manifest["database"]["dialect"]
        if archived != dialect:
            raise BackupError(
                f"{source} holds a {archived} database but SAFEGRID_DATABASE_URL is {dialect}: restore it "
                f"into a {archived} database, then move the data with `safegrid migrate-data`"
            )
        revision = manifest.get("alembic_revision")
        if revision and not is_known_revision(revision):
            raise BackupError(
                f"{source} was made at migration revision {revision}, which this version of SafeGrid does "
                "not know: restore it with the version that made it (or a newer one)"
            )
        if dialect == "postgresql":
            postgres.tool("pg_restore")
        _refuse_rows_unless(replace)
        uploads = _uploads()
        uploads.parent.mkdir(parents=True, exist_ok=True)
        # Staged beside the upload folder, so that the files move into place by renaming.
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=uploads.parent) as work:
            staging = Path(work)
            extract_verified(tar, manifest, source, staging)
            database_file = staging / manifest["database"]["member"]
            db.engine.dispose()  # no pooled connection may keep the old tables
            if dialect == "sqlite":
                sqlite.check_integrity(database_file)
                sqlite.restore_into(database_file, sqlite.database_path(url))
            else:
                postgres.restore(url, database_file)
            db.engine.dispose()
            _swap_uploads(staging / FILES_PREFIX, uploads, staging / "previous")
    tables = _verify_tables(manifest)
    files = _verify_files(manifest, uploads)
    return RestoreReport(tables, files, revision, head, time.monotonic() - started)


def _refuse_rows_unless(replace: bool) -> None:
    try:
        with db.engine.connect() as connection:
            counts = tables_with_rows(connection)
    except OperationalError as error:
        raise _connect_error(error) from None
    if counts and not replace:
        raise BackupError(
            f"the database already holds data ({describe_rows(counts)}); restoring replaces all of it "
            "and the uploaded files: back it up first, then pass --yes"
        )


def _swap_uploads(restored: Path, uploads: Path, previous: Path) -> None:
    """Put the restored upload tree in place of the current one (staged previews stay)."""
    restored.mkdir(parents=True, exist_ok=True)
    previous.mkdir()
    uploads.mkdir(parents=True, exist_ok=True)
    for child in uploads.iterdir():
        if child.name not in SKIPPED_UPLOADS:
            child.rename(previous / child.name)
    for child in restored.iterdir():
        child.rename(uploads / child.name)
    shutil.rmtree(previous)


def _verify_tables(manifest: dict) -> list[TableCheck]:
    expected = {name: {"rows": t["rows"], "sha256": t["sha256"]} for name, t in manifest["tables"].items()}
    wanted = {name: t["columns"] for name, t in manifest["tables"].items()}
    with db.engine.connect() as connection:
        present = existing_columns(connection, app_tables())
        # The manifest's columns: a backup made before a later migration checks what it held.
        columns = {
            name: cols for name, cols in wanted.items() if name in present and set(cols) <= set(present[name])
        }
        found = database_digests(connection, app_tables(), columns)
    return compare(expected, found)


def _verify_files(manifest: dict, uploads: Path) -> FileCheck:
    expected = {item["path"]: (item["size"], item["sha256"]) for item in manifest["files"]}
    found = {item["path"]: (item["size"], item["sha256"]) for item in upload_files(uploads)}
    return FileCheck(
        expected=len(expected),
        missing=sorted(set(expected) - set(found)),
        changed=sorted(path for path in expected if path in found and found[path] != expected[path]),
        extra=sorted(set(found) - set(expected)),
    )
