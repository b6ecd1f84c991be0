"""Readiness: /readyz and `safegrid check` say 503/exit 1 exactly when a part the app needs is not there."""

import os
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory

from bureau.app import create_app
from tenancy.config import REPO_ROOT, TestConfig
from tenancy.extensions import db
from tenancy.jobs import QUEUES, queue, redis_connection
from tenancy.models import OutboxItem, Tenant, utcnow
from tenancy.scoping import tenant_context

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
CLOSED_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:1/safegrid"


def _script() -> ScriptDirectory:
    config = AlembicConfig()
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    return ScriptDirectory.from_config(config)


HEAD = _script().get_current_head()
BEFORE_HEAD = _script().get_revision(HEAD).down_revision


@pytest.fixture
def scratch_database_url(tmp_path):
    """A database of this test's own: a SQLite file, or a fresh PostgreSQL database beside the test one."""
    base = os.environ.get("SAFEGRID_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'ready.db'}"
        return
    url = sa.engine.make_url(base)
    name = f"{url.database}_readyz"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _stamp(revision: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
            )
        )
        connection.execute(sa.text("DELETE FROM alembic_version"))
        connection.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": revision})


@pytest.fixture
def build(tmp_path, redis_url):
    """Return build(database_url, redis_url=the test Redis, revision=HEAD): an app on that database,
    its tables created and stamped at `revision` (None: not stamped; no tables when `tables` is False)."""
    apps = []

    def make(database_url, redis=redis_url, revision=HEAD, tables=True):
        app = create_app(TestConfig(database_url, redis, tmp_path / f"instance{len(apps)}"))
        apps.append(app)
        if tables:
            with app.app_context():
                db.create_all()
                if revision:
                    _stamp(revision)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    with create_app(TestConfig("sqlite://", redis_url, tmp_path / "flush")).app_context():
        redis_connection().flushdb()


def _ready(app):
    start = time.perf_counter()
    response = app.test_client().get("/readyz")
    return response.status_code, response.get_json(), time.perf_counter() - start


def test_ready_when_every_part_answers(build, scratch_database_url):
    app = build(scratch_database_url)
    with app.app_context():
        queue("rollups").enqueue("tenancy.jobs.run_outbox", 1, "rollups.refresh", "k")
    status, body, seconds = _ready(app)
    assert status == 200 and body["status"] == "ok", body
    checks = body["checks"]
    assert checks["database"]["ok"] and checks["database"]["ms"] >= 0
    assert checks["redis"]["ok"] and checks["redis"]["ms"] >= 0
    assert checks["migrations"] == {"ok": True, "state": "at_head", "current": HEAD, "head": HEAD}
    assert checks["queues"] == {"default": 0, "rollups": 1}
    assert checks["failed_jobs"] == dict.fromkeys(QUEUES, 0)
    assert checks["outbox"] == {"ok": True, "pending": 0, "oldest_age_seconds": None, "max_age_seconds": 300}
    assert seconds < 1


def test_redis_down_is_not_ready(build, scratch_database_url):
    status, body, seconds = _ready(build(scratch_database_url, redis=CLOSED_REDIS))
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["redis"]["ok"] is False and body["checks"]["redis"]["error"] == "ConnectionError"
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert body["checks"]["queues"] == {}
    assert seconds < 3


@pytest.mark.parametrize("where", ["sqlite", "postgresql"])
def test_database_down_is_not_ready(build, tmp_path, where):
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}" if where == "sqlite" else CLOSED_POSTGRESQL
    status, body, seconds = _ready(build(url, tables=False))
    assert status == 503 and body["status"] == "fail"
    checks = body["checks"]
    assert checks["database"]["ok"] is False and checks["database"]["error"] == "OperationalError"
    assert checks["migrations"]["ok"] is False and checks["outbox"]["ok"] is False
    assert checks["redis"]["ok"] is True  # the other checks still ran
    assert "127.0.0.1" not in str(body) and "x.db" not in str(body)  # no connection details in public
    assert seconds < 4


@pytest.mark.parametrize(
    ("revision", "state", "status"),
    [
        (BEFORE_HEAD, "behind", 503),  # this code needs a migration that has not run
        (None, "none", 503),  # never migrated
        ("0123456789ab", "ahead", 200),  # a newer release migrated (additive): this code still serves
    ],
)
def test_migrations_not_at_head(build, scratch_database_url, revision, state, status):
    code, body, _seconds = _ready(build(scratch_database_url, revision=revision))
    assert code == status
    assert body["checks"]["migrations"] == {
        "ok": status == 200,
        "state": state,
        "current": revision,
        "head": HEAD,
    }


def _outbox_rows(app, *ages: tuple[int, bool]) -> None:
    """Write outbox rows created `age` seconds ago, finished or not."""
    with app.app_context():
        tenant = Tenant(code="t1", name="T1")
        db.session.add(tenant)
        db.session.flush()
        with tenant_context(tenant.id):
            for age, finished in ages:
                created = utcnow() - timedelta(seconds=age)
                db.session.add(
                    OutboxItem(
                        tenant_id=tenant.id,
                        job="x",
                        key="k",
                        args={},
                        created_at=created,
                        finished_at=created if finished else None,
                    )
                )
            db.session.commit()


@pytest.mark.parametrize(
    ("rows", "status", "pending", "oldest"),
    [
        ([(10, False), (3600, True)], 200, 1, 10),  # finished work does not count, however old
        ([(400, False), (10, False)], 503, 2, 400),  # no worker has drained this for 400 s
    ],
)
def test_old_unfinished_outbox_work_is_not_ready(build, scratch_database_url, rows, status, pending, oldest):
    app = build(scratch_database_url)
    _outbox_rows(app, *rows)
    code, body, _seconds = _ready(app)
    outbox = body["checks"]["outbox"]
    assert code == status and outbox["ok"] is (status == 200)
    assert outbox["pending"] == pending and oldest <= outbox["oldest_age_seconds"] <= oldest + 5
    app.config["READY_OUTBOX_MAX_AGE"] = 3600  # SAFEGRID_READY_OUTBOX_MAX_AGE
    assert _ready(app)[0] == 200


def test_check_command_prints_each_check_and_exits_1_when_not_ready(build, scratch_database_url):
    good = build(scratch_database_url).test_cli_runner().invoke(args=["check"])
    assert good.exit_code == 0, good.output
    lines = good.output.splitlines()
    assert [line.split()[0] for line in lines] == [
        "database",
        "redis",
        "migrations",
        "queues",
        "failed",
        "outbox",
        "ready",
    ]
    assert lines[0].split()[1] == "ok" and f"at head {HEAD}" in lines[2]
    assert "default 0, rollups 0" in lines[3]

    bad = build(scratch_database_url, redis=CLOSED_REDIS).test_cli_runner().invoke(args=["check"])
    assert bad.exit_code == 1, bad.output
    redis_line = bad.output.splitlines()[1]
    assert (
        redis_line.split()[:2] == ["redis", "FAIL"] and "127.0.0.1:1" in redis_line
    )  # details for operators
    assert bad.output.splitlines()[-1] == "NOT READY"

    as_json = (
        build(scratch_database_url, revision=BEFORE_HEAD).test_cli_runner().invoke(args=["check", "--json"])
    )
    assert as_json.exit_code == 1 and '"state": "behind"' in as_json.output
