"""safegrid migrate-data: all tenants or one, between SQLite and PostgreSQL, with ids kept and the
counts and checksums of both sides equal; a target that is not ready is refused and left as it was."""

import os

import pytest
import sqlalchemy as sa

from tenancy.extensions import db

# Skipped before the world is built when the suite has no PostgreSQL.
NEEDS_POSTGRESQL = pytest.mark.skipif(
    not os.environ.get("SAFEGRID_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL tests run when SAFEGRID_TEST_DATABASE_URL names a PostgreSQL database",
)
PAIRS = [
    ("sqlite", "sqlite"),
    pytest.param("sqlite", "postgresql", marks=NEEDS_POSTGRESQL),
    pytest.param("postgresql", "sqlite", marks=NEEDS_POSTGRESQL),
]


def _url(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


def _scalar(url: str, sql: str, **params):
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(sa.text(sql), params).scalar()
    engine.dispose()
    return value


def _execute(url: str, sql: str, **params) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(sql), params)
    engine.dispose()


def _tenant_owned(digests: dict) -> dict:
    global_tables = {
        t.name for t in db.metadata.sorted_tables if t.name != "tenants" and "tenant_id" not in t.c
    }
    return {name: value for name, value in digests.items() if name not in global_tables}


@pytest.mark.parametrize(("app", "kind"), PAIRS, indirect=["app"])
def test_all_tenants_are_copied_exactly(app, cli, records, digests, make_target, kind):
    target = make_target(kind)
    result = cli("migrate-data", "--from", _url(app), "--to", target)
    assert result.exit_code == 0, result.output
    assert "counts and checksums match" in result.output and "DIFFERENT" not in result.output
    assert digests(target) == digests(_url(app))
    assert digests(target)["hazard_evidence"]["rows"] == 2
    assert _scalar(target, "SELECT count(*) FROM tenant_settings WHERE value IS NULL") == 0  # JSON null kept
    if kind == "postgresql":  # new rows continue after the copied ids
        highest = _scalar(target, "SELECT max(id) FROM hazards")
        assert _scalar(target, "SELECT nextval(pg_get_serial_sequence('hazards', 'id'))") == highest + 1

    again = cli("migrate-data", "--from", _url(app), "--to", target)
    assert again.exit_code == 1 and "the target database is not empty" in again.output


@pytest.mark.parametrize(("app", "kind"), PAIRS[:2], indirect=["app"])
def test_one_tenant_is_copied_without_the_others(app, cli, records, digests, make_target, kind):
    world = records.world
    target = make_target(kind)
    result = cli("migrate-data", "--from", _url(app), "--to", target, "--tenant", "beta")
    assert result.exit_code == 0, result.output
    assert "Not copied with --tenant (global): operators" in result.output
    copied = digests(target)
    assert copied == _tenant_owned(digests(_url(app), world.beta.id)) | {"operators": copied["operators"]}
    assert copied["operators"]["rows"] == 0 and copied["tenants"]["rows"] == 1
    assert _scalar(target, "SELECT count(*) FROM users WHERE tenant_id <> :beta", beta=world.beta.id) == 0
    assert copied["hazard_evidence"]["rows"] == 1

    again = cli("migrate-data", "--from", _url(app), "--to", target, "--tenant", "beta")
    assert again.exit_code == 1 and "already holds tenant 'beta'" in again.output

    # The other tenant of the same source joins it: their ids never collide.
    alpha = cli("migrate-data", "--from", _url(app), "--to", target, "--tenant", "alpha")
    assert alpha.exit_code == 0, alpha.output
    assert digests(target) == _tenant_owned(digests(_url(app))) | {"operators": copied["operators"]}


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_a_target_that_is_not_ready_is_refused_and_left_as_it_was(app, cli, records, digests, make_target):
    source = _url(app)

    def refused(target, *extra):
        result = cli("migrate-data", "--from", source, "--to", target, *extra)
        assert result.exit_code == 1, result.output
        return result.output

    bare = make_target("sqlite", schema=False)
    assert "run `SAFEGRID_DATABASE_URL=sqlite:///" in refused(bare) and "db upgrade` first" in refused(bare)
    assert sa.inspect(sa.create_engine(bare)).get_table_names() == []

    ready = make_target("sqlite")
    assert "no tenant with code 'nope'" in refused(ready, "--tenant", "nope")
    assert "name the same database" in refused(source)
    assert "mysql databases are not supported" in refused("mysql://x@h/db")
    assert "is not a database URL" in refused("nonsense")

    behind = make_target("sqlite")
    _execute(behind, "UPDATE alembic_version SET version_num = 'abc123'")
    assert "the source database is at migration revision abc123" in (
        cli("migrate-data", "--from", behind, "--to", ready).output
    )

    # Another tenant in the target already uses the id of alpha's setting: the copy of alpha gets
    # as far as tenant_settings, fails there, and all of it is rolled back.
    setting_id = _scalar(source, "SELECT id FROM tenant_settings WHERE key = 'test'")
    _execute(
        ready,
        "INSERT INTO tenants (id, code, name, is_active, created_at) VALUES (99, 'gamma', 'g', 1, '2026-01-01')",
    )
    _execute(
        ready,
        "INSERT INTO tenant_settings (id, tenant_id, key, value) VALUES (:id, 99, 'x', '1')",
        id=setting_id,
    )
    before = digests(ready)
    message = refused(ready, "--tenant", "alpha")
    assert "refused a row of tenant_settings" in message and "nothing was copied" in message
    assert digests(ready) == before
