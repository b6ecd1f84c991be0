"""safegrid backup / restore: a round trip gives back identical rows, checksums and files; an
archive that is missing, corrupt, tampered with or of the other database kind changes nothing."""

import io
import json
import shutil
import tarfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bureau.app import create_app
from tenancy.backup import BackupError, archive, postgres
from tenancy.backup.digest import canonical, row_hash
from tenancy.config import TestConfig
from tenancy.extensions import db
from tests.fixtures.app import _empty_tables

SQLITE_ONLY = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def _url(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


def _manifest(path: Path) -> dict:
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile(archive.MANIFEST))


def _files(folder: str) -> dict[str, bytes]:
    root = Path(folder)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _rewrite(source: Path, destination: Path, change) -> None:
    """Copy an archive member by member, letting change(name, data) -> data alter any of them."""
    with tarfile.open(source) as tar_in, tarfile.open(destination, "w:gz") as tar_out:
        for member in tar_in:
            data = change(member.name, tar_in.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            tar_out.addfile(info, io.BytesIO(data))


def _change_manifest(edit):
    def change(name, data):
        if name != archive.MANIFEST:
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


@pytest.fixture
def backup(app, cli, records, tmp_path) -> Path:
    path = tmp_path / "nightly.tar.gz"
    result = cli("backup", path)
    assert result.exit_code == 0, result.output
    return path


def test_round_trip_gives_back_identical_rows_checksums_and_files(app, cli, records, digests, head, tmp_path):
    url = _url(app)
    before, files_before = digests(url), _files(records.uploads)
    path = tmp_path / "nightly.tar.gz"
    result = cli("backup", path)
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["nightly.tar.gz"]  # no temporary file left
    assert path.stat().st_mode & 0o077 == 0  # password hashes inside: owner only

    manifest = _manifest(path)
    assert manifest["format"] == "safegrid-backup" and manifest["alembic_revision"] == head
    assert manifest["database"]["dialect"] == sa.engine.make_url(url).get_backend_name()
    assert {
        name: {"rows": t["rows"], "sha256": t["sha256"]} for name, t in manifest["tables"].items()
    } == before
    assert manifest["tables"]["hazard_evidence"]["rows"] == 2
    assert sorted(item["path"] for item in manifest["files"]) == sorted(files_before)

    # Lost everything: an empty database restores without --yes.
    with app.app_context():
        _empty_tables()
    shutil.rmtree(records.uploads)
    result = cli("restore", path)
    assert result.exit_code == 0, result.output
    assert "row counts and checksums match the archive" in result.output
    assert "hazard_evidence" in result.output and "DIFFERENT" not in result.output
    assert digests(url) == before and _files(records.uploads) == files_before

    # Changed since: a row edited, a file gone, a stray file; refused without --yes.
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE users SET display_name = 'changed' WHERE username = 'staff'"))
    Path(records.files[0]).unlink()
    (Path(records.uploads) / "evidence" / "stray.png").write_bytes(b"stray")
    changed, files_changed = digests(url), _files(records.uploads)
    assert changed["users"] != before["users"]
    refused = cli("restore", path)
    assert refused.exit_code == 1 and "already holds data" in refused.output and "--yes" in refused.output
    assert digests(url) == changed and _files(records.uploads) == files_changed

    result = cli("restore", path, "--yes")
    assert result.exit_code == 0, result.output
    assert digests(url) == before and _files(records.uploads) == files_before


def test_restore_reports_a_difference_and_exits_1(app, cli, backup, tmp_path):
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(backup, tampered, _change_manifest(lambda m: m["tables"]["users"].update(sha256="0" * 64)))
    result = cli("restore", tampered, "--yes")
    assert result.exit_code == 1
    [users] = [line for line in result.output.splitlines() if line.startswith("users ")]
    assert users.endswith("DIFFERENT")
    assert "differ" in result.output


@SQLITE_ONLY
def test_unusable_archives_are_refused_and_change_nothing(app, cli, backup, records, digests, tmp_path):
    url = _url(app)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE users SET display_name = 'kept' WHERE username = 'staff'"))
    before, files_before = digests(url), _files(records.uploads)

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"this is not a backup")
    no_manifest = tmp_path / "no-manifest.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("hello.txt"), io.BytesIO(b""))
    altered_file = tmp_path / "altered-file.tar.gz"
    _rewrite(backup, altered_file, lambda name, data: data + b"!" if name.startswith("files/") else data)
    unsafe = tmp_path / "unsafe.tar.gz"
    _rewrite(backup, unsafe, _change_manifest(lambda m: m["files"][0].update(path="../../escape.png")))
    future = tmp_path / "future.tar.gz"
    _rewrite(backup, future, _change_manifest(lambda m: m.update(alembic_revision="fedcba987654")))
    newer_format = tmp_path / "newer-format.tar.gz"
    _rewrite(backup, newer_format, _change_manifest(lambda m: m.update(format_version=99)))

    cases = [
        (tmp_path / "missing.tar.gz", "no backup archive at"),
        (garbage, "not a readable tar.gz archive"),
        (truncated, "corrupt or truncated"),
        (no_manifest, "does not start with manifest.json"),
        (altered_file, "does not match its checksum"),
        (unsafe, "unsafe path"),
        (future, "does not know"),
        (newer_format, "format version 99"),
    ]
    for path, message in cases:
        result = cli("restore", path, "--yes")
        assert result.exit_code == 1, (path.name, result.output)
        assert message in result.output, (path.name, result.output)
        assert digests(url) == before and _files(records.uploads) == files_before, path.name
    assert not any(p.name.startswith(".restore-") for p in Path(records.uploads).parent.iterdir())


@SQLITE_ONLY
def test_a_backup_is_restored_into_the_same_kind_of_database_only(backup, redis_url, tmp_path, cli):
    postgres_app = create_app(
        TestConfig("postgresql+psycopg://nobody@127.0.0.1:1/nothing", redis_url, tmp_path / "instance")
    )
    result = cli("restore", backup, "--yes", target_app=postgres_app)
    assert result.exit_code == 1
    assert "holds a sqlite database but SAFEGRID_DATABASE_URL is postgresql" in result.output
    assert "migrate-data" in result.output


@SQLITE_ONLY
def test_a_failed_backup_leaves_no_archive(app, cli, records, tmp_path, monkeypatch):
    result = cli("backup", tmp_path / "no-such-folder" / "b.tar.gz")
    assert result.exit_code == 1 and "does not exist" in result.output
    result = cli("backup", Path(records.uploads) / "evidence" / "b.tar.gz")
    assert result.exit_code == 1 and "outside the upload folder" in result.output

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive, "_add_file", disk_full)
    result = cli("backup", tmp_path / "b.tar.gz")
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert list(tmp_path.iterdir()) == []


@SQLITE_ONLY
def test_missing_postgresql_tools_are_named(redis_url, tmp_path, cli, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_restore was not found on PATH"):
        postgres.tool("pg_restore")
    postgres_app = create_app(
        TestConfig("postgresql+psycopg://nobody@127.0.0.1:1/nothing", redis_url, tmp_path / "instance")
    )
    result = cli("backup", tmp_path / "b.tar.gz", target_app=postgres_app)
    assert result.exit_code == 1 and "pg_dump was not found on PATH" in result.output


def test_the_libpq_url_carries_no_password():
    address, environment = postgres.libpq_url(
        "postgresql+psycopg://sg:p%40ss@db:5433/safegrid?sslmode=require"
    )
    assert address == "postgresql://sg@db:5433/safegrid?sslmode=require"
    assert environment["PGPASSWORD"] == "p@ss"


def test_checksums_ignore_how_a_database_spells_a_value():
    from datetime import UTC, datetime, timedelta, timezone

    beijing = datetime(2026, 3, 2, 16, 0, tzinfo=timezone(timedelta(hours=8)))
    assert (
        canonical(beijing) == canonical(datetime(2026, 3, 2, 8, 0, tzinfo=UTC)) == "2026-03-02T08:00:00+00:00"
    )
    assert row_hash([1, {"b": 1, "a": [2]}]) == row_hash([1, {"a": [2], "b": 1}])
    assert row_hash([1, None]) != row_hash([1, {"json": None}])  # SQL NULL is not a JSON null


@SQLITE_ONLY
def test_a_backup_taken_while_the_app_writes_is_consistent(app, cli, records, redis_url, tmp_path):
    settings = db.metadata.tables["tenant_settings"]
    stop = threading.Event()
    written = []

    def write() -> None:
        engine = sa.create_engine(_url(app), connect_args={"timeout": 30})
        while not stop.is_set() and len(written) < 2000:
            with engine.begin() as connection:
                connection.execute(
                    settings.insert().values(tenant_id=records.world.beta.id, key=f"k{len(written)}", value=1)
                )
            written.append(1)
        engine.dispose()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        result = cli("backup", tmp_path / "busy.tar.gz")
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert 0 < _manifest(tmp_path / "busy.tar.gz")["tables"]["tenant_settings"]["rows"] <= len(written) + 1

    # Restored on a new machine: an empty instance folder and no database file yet.
    fresh = create_app(
        TestConfig(f"sqlite:///{tmp_path / 'new' / 'safegrid.db'}", redis_url, tmp_path / "new")
    )
    result = cli("restore", tmp_path / "busy.tar.gz", target_app=fresh)
    assert result.exit_code == 0, result.output
    assert _files(fresh.config["UPLOAD_FOLDER"]) == _files(records.uploads)
