"""Readiness: can this installation serve? Database, Redis, migrations, queue depths, outbox age.

/readyz answers the report as JSON (503 when not ready) and `safegrid check` prints it. Every
check has a short timeout and catches its own errors, so a report always comes back within a
few seconds whatever is down. Ready means: the database and Redis answer, the database schema
is at this code's migration head (or ahead of it: a newer release has already applied its
additive migrations, which this code tolerates by the upgrade rules), and no unfinished outbox
work is older than SAFEGRID_READY_OUTBOX_MAX_AGE seconds (older work means no worker is
draining the queues). Queue depths and failed-job counts are reported, not judged.
"""

import functools
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq.registry import FailedJobRegistry
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from tenancy.extensions import db
from tenancy.jobs import QUEUES, queue
from tenancy.models import OutboxItem, utcnow

DB_CONNECT_TIMEOUT = 2  # seconds; libpq's smallest useful value
DB_STATEMENT_TIMEOUT_MS = 2000
REDIS_TIMEOUT = 1.0  # seconds, for connecting and for each command
NO_RETRY = Retry(NoBackoff(), 0)  # a probe answers now; redis-py would retry timeouts with backoff
VERSION_TABLE = "alembic_version"
JUDGED = ("database", "redis", "migrations", "outbox")  # the checks that decide readiness


@dataclass
class Readiness:
    """The checks' results: `checks` is what /readyz shows, `details` the error messages behind it."""

    checks: dict[str, dict[str, Any]]
    details: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(self.checks[name].get("ok") for name in JUDGED)

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "fail", "checks": self.checks}


def _failure(error: BaseException) -> tuple[str, str]:
    """(class name, first line of the message): the name is public, the message is for operators."""
    message = str(error).strip().splitlines()
    return type(error).__name__, (message[0] if message else "")[:300]


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def readiness_engine() -> Engine:
    """An engine for the checks only: no pool, short connect and statement timeouts."""
    engine = current_app.extensions.get("safegrid_readiness_engine")
    if engine is None:
        url = db.engine.url
        connect_args: dict[str, Any] = {}
        if url.get_backend_name() == "postgresql":
            connect_args = {
                "connect_timeout": DB_CONNECT_TIMEOUT,
                "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
            }
        elif url.get_backend_name() == "sqlite":
            connect_args = {"timeout": DB_CONNECT_TIMEOUT}  # wait this long for a writer's lock
        engine = sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)
        current_app.extensions["safegrid_readiness_engine"] = engine
    return engine


@functools.cache
def _scripts(directory: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(heads, every revision id) of the migration scripts this code ships."""
    config = AlembicConfig()
    config.set_main_option("script_location", directory)
    script = ScriptDirectory.from_config(config)
    return tuple(sorted(script.get_heads())), frozenset(rev.revision for rev in script.walk_revisions())


def _migrations(connection: Connection) -> dict[str, Any]:
    heads, known = _scripts(current_app.extensions["migrate"].directory)
    current: tuple[str, ...] = ()
    if sa.inspect(connection).has_table(VERSION_TABLE):
        rows = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
        current = tuple(sorted(rows))
    if current == heads:
        state = "at_head"
    elif not current:
        state = "none"  # never migrated (or not a SafeGrid database)
    elif any(revision not in known for revision in current):
        state = "ahead"  # migrated by a newer release than this code
    else:
        state = "behind"
    return {
        "ok": state in ("at_head", "ahead"),
        "state": state,
        "current": ",".join(current) or None,
        "head": ",".join(heads),
    }


def _outbox(connection: Connection, max_age: int) -> dict[str, Any]:
    table = OutboxItem.__table__
    pending, oldest = connection.execute(
        sa.select(sa.func.count(), sa.func.min(table.c.created_at)).where(table.c.finished_at.is_(None))
    ).one()
    age = None if oldest is None else max(0, round((utcnow() - oldest).total_seconds()))
    return {
        "ok": age is None or age <= max_age,
        "pending": pending,
        "oldest_age_seconds": age,
        "max_age_seconds": max_age,
    }


def _database_checks(report: Readiness, max_age: int) -> None:
    """database, migrations and outbox, over one short-lived connection."""
    start = time.perf_counter()
    try:
        with readiness_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            report.checks["database"] = {"ok": True, "ms": _ms(start)}
            for name, check in (
                ("migrations", lambda: _migrations(connection)),
                ("outbox", lambda: _outbox(connection, max_age)),
            ):
                try:
                    report.checks[name] = check()
                except Exception as error:  # a missing table must not hide the other checks
                    connection.rollback()
                    report.checks[name], report.details[name] = _failed(error)
    except Exception as error:
        report.checks["database"], report.details["database"] = _failed(error, ms=_ms(start))
        for name in ("migrations", "outbox"):
            report.checks.setdefault(name, {"ok": False, "error": "DatabaseUnavailable"})


def _failed(error: BaseException, **values) -> tuple[dict[str, Any], str]:
    name, message = _failure(error)
    return {"ok": False, **values, "error": name}, f"{name}: {message}"


def _redis_checks(report: Readiness) -> None:
    """redis (ping), and the depth of every queue and its failed-job registry."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        report.checks["redis"] = {"ok": False, "error": "NotConfigured"}
        report.details["redis"] = (
            "NotConfigured: SAFEGRID_REDIS_URL is not set (the embedded Redis lives inside `safegrid serve`)"
        )
        return
    start = time.perf_counter()
    connection = None
    try:
        connection = Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT, retry=NO_RETRY
        )
        connection.ping()
        report.checks["redis"] = {"ok": True, "ms": _ms(start)}
        queues = {name: queue(name, connection) for name in QUEUES}
        report.checks["queues"] = {name: target.count for name, target in queues.items()}
        report.checks["failed_jobs"] = {
            name: FailedJobRegistry(queue=target).get_job_count(cleanup=False)
            for name, target in queues.items()
        }
    except Exception as error:
        if "redis" not in report.checks:
            report.checks["redis"], report.details["redis"] = _failed(error, ms=_ms(start))
        else:
            report.details["queues"] = "{}: {}".format(*_failure(error))
    finally:
        if connection is not None:
            connection.close()


def check_readiness() -> Readiness:
    """Run every check (never raises); `ok` tells whether this installation can serve."""
    report = Readiness(checks={})
    _database_checks(report, current_app.config.get("READY_OUTBOX_MAX_AGE", 300))
    _redis_checks(report)
    report.checks.setdefault("queues", {})
    report.checks.setdefault("failed_jobs", {})
    order = ("database", "redis", "migrations", "queues", "failed_jobs", "outbox")
    report.checks = {name: report.checks[name] for name in order}
    return report
