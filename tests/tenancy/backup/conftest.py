"""Fixtures for backup, restore and migrate-data.

Here `app` is parametrized: a SQLite file, and a PostgreSQL database of its own
(`<SAFEGRID_TEST_DATABASE_URL's name>_backup`, created and dropped here) when the suite is given a
PostgreSQL URL. Restores replace the whole database, so they never touch the suite's own one.
The `world` fixture and friends build their data in whichever `app` this is.
"""

import io
import os
import shutil
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from bureau.app import create_app
from tenancy.backup.digest import database_digests, existing_columns
from tenancy.config import REPO_ROOT, TestConfig
from tenancy.extensions import db
from tests.fixtures.app import WebClient

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
HEAD = ScriptDirectory(str(REPO_ROOT / "migrations")).get_current_head()


def postgres_base_url() -> sa.engine.URL | None:
    """The suite's PostgreSQL URL, or None when the suite runs on SQLite."""
    base = os.environ.get("SAFEGRID_TEST_DATABASE_URL")
    if not base or not base.startswith("postgresql"):
        return None
    return sa.engine.make_url(base)


def _admin_engine(base: sa.engine.URL) -> sa.Engine:
    return sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")


def create_scratch_database(suffix: str) -> str:
    """(Re)create the empty PostgreSQL database `<suite db>_<suffix>` and return its URL."""
    base = postgres_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests run when SAFEGRID_TEST_DATABASE_URL names a PostgreSQL database")
    name = f"{base.database}_{suffix}"
    admin = _admin_engine(base)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable: {error.orig}")
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_scratch_database(url: str) -> None:
    parsed = sa.engine.make_url(url)
    admin = _admin_engine(parsed)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def create_schema(url: str) -> None:
    """Give an empty database the models' tables, stamped at the migration head (as `db upgrade` would)."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.create_all(connection)
        connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        connection.execute(sa.text("INSERT INTO alembic_version VALUES (:head)"), {"head": HEAD})
    engine.dispose()


def digests_of(url: str, tenant_id: int | None = None) -> dict[str, dict]:
    """Row counts and checksums of every table of the database at `url`."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = db.metadata.sorted_tables
        found = database_digests(connection, tables, existing_columns(connection, tables), tenant_id)
    engine.dispose()
    return found


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request, redis_url, tmp_path_factory):
    if request.param == "postgresql":
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump/pg_restore are not installed")
        url = create_scratch_database("backup")
        request.addfinalizer(lambda: drop_scratch_database(url))
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('backup-db') / 'safegrid.db'}"
    app = create_app(TestConfig(url, redis_url, tmp_path_factory.mktemp("backup-instance")))
    create_schema(url)  # after create_app, which imports every model
    request.addfinalizer(lambda: _dispose(app))
    return app


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def cli(app):
    """Return run(*args) -> click Result of a `safegrid` command against `app`."""

    def run(*args, target_app=None):
        return (target_app or app).test_cli_runner().invoke(args=[str(arg) for arg in args])

    return run


@pytest.fixture
def records(app, world):
    """The world plus a hazard with a photo in each tenant, and a setting holding a JSON null."""
    shutil.rmtree(app.config["UPLOAD_FOLDER"], ignore_errors=True)  # files outlive the emptied tables
    for username, school in (("school11", world.alpha_orgs["S11"]), ("betaschool", world.beta_orgs["BS1"])):
        web = WebClient(app)
        tenant = "alpha" if username == "school11" else "beta"
        assert web.login(username, world.password, tenant=tenant).status_code == 302
        data = {
            "found_on": "2026-03-02",
            "location": "学校东侧围墙",
            "category": "security",
            "level": "general",
            "source": "daily",
            "description": f"围墙有裂缝 ({tenant})",
            "deadline": "2026-03-09",
            "photo": (io.BytesIO(PNG + tenant.encode()), "crack.png"),
        }
        response = web.post(f"/schools/{school}/hazards/new", data, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)
    settings = db.metadata.tables["tenant_settings"]
    with app.app_context(), db.engine.begin() as connection:
        # NOT NULL column: a copy that turned the JSON null into SQL NULL would be refused.
        connection.execute(settings.insert().values(tenant_id=world.alpha.id, key="test", value=sa.JSON.NULL))
    uploads = app.config["UPLOAD_FOLDER"]
    files = sorted(p for p in _walk(uploads) if "/evidence/" in p)
    assert len(files) == 2
    return SimpleNamespace(world=world, uploads=uploads, files=files)


def _walk(folder: str) -> list[str]:
    return [os.path.join(root, name) for root, _dirs, names in os.walk(folder) for name in names]


@pytest.fixture
def make_target(tmp_path):
    """Return new(kind, schema=True) -> URL of an empty database (SQLite file or PostgreSQL scratch db)."""
    created = []

    def new(kind: str, schema: bool = True) -> str:
        if kind == "postgresql":
            url = create_scratch_database(f"migrate{len(created)}")
            created.append(url)
        else:
            url = f"sqlite:///{tmp_path / f'target{len(created)}.db'}"
            created.append(None)
        if schema:
            create_schema(url)
        return url

    yield new
    for url in created:
        if url:
            drop_scratch_database(url)


@pytest.fixture
def digests():
    return digests_of


@pytest.fixture
def head():
    return HEAD
