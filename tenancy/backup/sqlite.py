"""SQLite: a consistent copy through the online backup API, and putting one back the same way."""

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from tenancy.backup import BackupError

BUSY_TIMEOUT_S = 60  # wait this long for the app's writers to let go of the database


def database_path(url: str) -> Path:
    """Return the file of a SQLite URL, refusing an in-memory database."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name).resolve()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)


def snapshot(source: Path, destination: Path) -> None:
    """Copy the live database at `source` to a new file, consistent even while the app writes."""
    if not source.is_file():
        raise BackupError(f"the SQLite database {source} does not exist")
    try:
        with closing(_read_only(source)) as live, closing(sqlite3.connect(destination)) as copy:
            # One step (pages=-1): the copy holds the read lock for its duration, so it is one
            # consistent state; writers wait up to the busy timeout instead of restarting the copy.
            live.backup(copy)
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy the SQLite database {source}: {error}") from None


def check_integrity(path: Path) -> None:
    """Refuse a database file that SQLite does not find intact."""
    try:
        with closing(_read_only(path)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the database in the archive is not a usable SQLite file ({error})") from None
    if verdict != "ok":
        raise BackupError(f"the database in the archive fails SQLite's integrity check: {verdict}")


def restore_into(copy: Path, target: Path) -> None:
    """Replace the database at `target` by `copy`, page by page under SQLite's own locking.

    The backup API writes into the live file as one transaction: connections of a running app
    see the old or the new database, never a mixture, and no stale journal is left beside it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(_read_only(copy)) as source,
            closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_S)) as live,
        ):
            source.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"cannot write the SQLite database {target}: {error}") from None
