"""The backup archive: one tar.gz holding manifest.json first, the database, then the uploaded files.

```
manifest.json                    format, versions, dialect, per-table rows and checksums, files
database/safegrid.sqlite3        SQLite: a consistent copy (online backup API)
database/safegrid.pgdump         PostgreSQL: pg_dump --format=custom
files/<path under uploads/>      evidence/<tenant>/…, notices/<tenant>/… (not staged/ previews)
```
"""

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from tenancy.backup import BackupError

FORMAT = "safegrid-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/safegrid.sqlite3", "postgresql": "database/safegrid.pgdump"}
FILES_PREFIX = "files/"
SKIPPED_UPLOADS = {"staged"}  # previews kept between an upload and its confirmation
CHUNK = 1 << 20
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, ValueError)


def sha256_of(path: Path) -> tuple[int, str]:
    """Return (size, sha256 hex) of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def upload_files(root: Path) -> list[dict]:
    """Return [{"path", "size", "sha256"}] of the files under the upload folder, sorted by path."""
    files = []
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in SKIPPED_UPLOADS or path.is_symlink() or not path.is_file():
            continue
        size, digest = sha256_of(path)
        files.append({"path": relative.as_posix(), "size": size, "sha256": digest})
    return files


def write_archive(destination: Path, manifest: dict, database_file: Path, uploads: Path) -> None:
    """Write the archive to a temporary file beside `destination`, then rename it into place.

    A crash or an error leaves no partial archive under the final name (and removes the
    temporary one); the archive is readable by its owner only: it holds password hashes.
    """
    destination = destination.resolve()
    if not destination.parent.is_dir():
        raise BackupError(f"the folder {destination.parent} does not exist")
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
                database = manifest["database"]
                _add_file(tar, database["member"], database_file, database["size"])
                for item in manifest["files"]:
                    _add_file(tar, FILES_PREFIX + item["path"], uploads / item["path"], item["size"])
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, destination)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise BackupError(f"could not write {destination}: {error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(destination.parent)


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_member(name, len(data)), io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path, size: int) -> None:
    # The size is the one hashed into the manifest: a file that changed since is caught here
    # (shorter) or at restore (different digest), never silently archived.
    with path.open("rb") as handle:
        tar.addfile(_member(name, size), handle)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _safe_relative(path: str) -> str:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or "\\" in path or any(part in ("", ".", "..") for part in parts):
        raise BackupError(f"the manifest names an unsafe path {path!r}: refusing the archive")
    return path


def _check_manifest(manifest: object, source: Path) -> dict:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a SafeGrid backup (its manifest.json is not one)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{source} is a backup of format version {version}; this version of SafeGrid reads "
            f"version {FORMAT_VERSION}: restore it with the version that made it"
        )
    try:
        database = manifest["database"]
        if DATABASE_MEMBERS.get(database["dialect"]) != database["member"]:
            raise BackupError(f"{source}: the manifest names an unknown database {database['member']!r}")
        int(database["size"]), str(database["sha256"])
        for name, table in manifest["tables"].items():
            str(name), int(table["rows"]), str(table["sha256"]), list(table["columns"])
        for item in manifest["files"]:
            _safe_relative(item["path"]), int(item["size"]), str(item["sha256"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupError(f"{source} has an incomplete manifest ({error!r})") from None
    return manifest


@contextmanager
def open_archive(source: Path) -> Iterator[tuple[tarfile.TarFile, dict]]:
    """Open a backup archive and yield (tar, manifest), refusing anything that is not one."""
    if not source.exists():
        raise BackupError(f"no backup archive at {source}")
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    try:
        tar = tarfile.open(source, mode="r:gz")  # noqa: SIM115 (closed below, after the yield)
    except READ_ERRORS as error:
        raise BackupError(f"{source} is not a readable tar.gz archive ({error})") from None
    try:
        try:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{source} is not a SafeGrid backup (it does not start with {MANIFEST})")
            manifest = json.loads(tar.extractfile(first).read())
        except READ_ERRORS + (OSError,) as error:
            raise BackupError(f"{source} is corrupt or truncated ({error})") from None
        yield tar, _check_manifest(manifest, source)
    finally:
        tar.close()


def extract_verified(tar: tarfile.TarFile, manifest: dict, source: Path, staging: Path) -> None:
    """Extract the database and files into `staging`, checking every size and SHA-256 against the manifest.

    Only members the manifest names are written, each under a checked relative path; a member
    missing, unexpected, truncated or altered stops the restore before anything is replaced.
    """
    database = manifest["database"]
    expected = {database["member"]: (database["size"], database["sha256"])}
    for item in manifest["files"]:
        expected[FILES_PREFIX + _safe_relative(item["path"])] = (item["size"], item["sha256"])
    seen = set()
    try:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or member.name in seen or not member.isfile():
                raise BackupError(f"{source} holds an unexpected member {member.name!r}: refusing it")
            size, digest = expected[member.name]
            target = staging / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            found_size, found_digest = _copy_hashed(tar.extractfile(member), target)
            if (found_size, found_digest) != (size, digest):
                raise BackupError(f"{source}: {member.name} does not match its checksum in the manifest")
            seen.add(member.name)
    except READ_ERRORS + (OSError,) as error:
        raise BackupError(f"{source} is corrupt or truncated ({error})") from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{source} is incomplete: {len(missing)} member(s) missing, e.g. {missing[0]}")


def _copy_hashed(handle, target: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()
