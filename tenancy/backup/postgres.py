"""PostgreSQL: pg_dump of an exported snapshot, pg_restore into the configured database."""

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from tenancy.backup import BackupError


def libpq_url(url: str) -> tuple[str, dict[str, str]]:
    """Return (libpq URI, environment) for a SQLAlchemy URL; the password travels in PGPASSWORD.

    `postgresql+psycopg://user:secret@host/db?sslmode=require` becomes
    `postgresql://user@host/db?sslmode=require` with PGPASSWORD=secret, so that the password
    never shows in the process list.
    """
    parsed = make_url(url)
    environment = dict(os.environ)
    if parsed.password is not None:
        environment["PGPASSWORD"] = str(parsed.password)
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return plain.render_as_string(hide_password=False), environment


def tool(name: str) -> str:
    """Return the path of a PostgreSQL client program, or stop with how to install it."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools of the server's "
            "major version or newer (Debian: apt-get install postgresql-client)"
        )
    return path


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip() or f"exit status {completed.returncode}"
        raise BackupError(f"{what} failed: {detail}")


def dump(url: str, snapshot_id: str, destination: Path) -> None:
    """Write a custom-format dump of the database as of the exported snapshot `snapshot_id`."""
    address, environment = libpq_url(url)
    command = [
        tool("pg_dump"),
        "--format=custom",
        f"--snapshot={snapshot_id}",
        f"--file={destination}",
        f"--dbname={address}",
    ]
    _run(command, environment, "pg_dump")


def restore(url: str, dump_file: Path) -> None:
    """Restore a custom-format dump over the database, all of it or nothing (one transaction)."""
    address, environment = libpq_url(url)
    command = [
        tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={address}",
        str(dump_file),
    ]
    _run(command, environment, "pg_restore")
