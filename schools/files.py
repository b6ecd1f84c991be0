"""Files attached to safety records (evidence photos, drill photos, incident attachments, signed
letters): the type is read from the content (the name a browser sends is never trusted), the size
is limited by SAFEGRID_UPLOAD_MAX_MB, and files are kept outside the web root under random names;
each feature serves its files only after its own scope check.
"""

import secrets
import unicodedata
from collections.abc import Collection
from pathlib import Path
from urllib.parse import quote

from flask import current_app, send_file
from flask_babel import gettext as _

# Magic bytes → (content type, extension).
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
PHOTOS = ("image/jpeg", "image/png", "image/webp")
PHOTOS_AND_PDF = (*PHOTOS, "application/pdf")


class FileRefused(ValueError):
    """An upload that is empty, too large or of a refused type (the message says which)."""


def sniff(data: bytes) -> tuple[str, str] | None:
    """Return (content type, extension) for a JPEG, PNG, WebP or PDF, else None."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def check_upload(data: bytes, allowed: Collection[str], refused: str) -> tuple[str, str]:
    """Return (content type, extension) of an acceptable upload; `refused` is the wrong-type message."""
    limit_mb = current_app.config["UPLOAD_MAX_MB"]
    if not data:
        raise FileRefused(_("The file is empty."))
    if len(data) > limit_mb * 1024 * 1024:
        raise FileRefused(_("The file is larger than %(n)d MB.", n=limit_mb))
    kind = sniff(data)
    if kind is None or kind[0] not in allowed:
        raise FileRefused(refused)
    return kind


def evidence_folder(tenant_id: int) -> Path:
    """Return the tenant's folder of attached files under the instance's upload folder."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "evidence" / str(tenant_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_stored_name(extension: str) -> str:
    """A random name for a file to store: nothing of the uploader's name reaches the disk."""
    return secrets.token_hex(16) + extension


def store_file(tenant_id: int, stored_name: str, data: bytes) -> None:
    """Write a checked upload (call last, once every other check passed: a refusal leaves no file)."""
    (evidence_folder(tenant_id) / stored_name).write_bytes(data)


def stored_path(tenant_id: int, stored_name: str) -> Path:
    """Return where a stored file lives on disk."""
    return evidence_folder(tenant_id) / stored_name


def send_stored(path: Path, *, download_name: str, mimetype: str, as_attachment: bool = False):
    """Answer with a stored file (call after the view's scope check).

    When SAFEGRID_X_ACCEL_PREFIX is set (behind nginx, see deploy/nginx/safegrid.conf) the answer
    is empty with `X-Accel-Redirect: <prefix>/<path under the upload folder>`, and nginx sends the
    file from its internal location, keeping this answer's Content-Type, Content-Disposition and
    Cache-Control; otherwise the app sends the file itself.
    """
    prefix = current_app.config.get("X_ACCEL_PREFIX")
    if not prefix:
        return send_file(path, mimetype=mimetype, download_name=download_name, as_attachment=as_attachment)
    relative = Path(path).resolve().relative_to(Path(current_app.config["UPLOAD_FOLDER"]).resolve())
    response = current_app.response_class(mimetype=mimetype)
    response.headers["X-Accel-Redirect"] = f"{prefix}/{quote(relative.as_posix())}"
    response.headers.set(
        "Content-Disposition", "attachment" if as_attachment else "inline", **_filename(download_name)
    )
    return response


def _filename(name: str) -> dict[str, str]:
    """Content-Disposition filename parameters, as werkzeug's send_file writes them (RFC 6266)."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        return {"filename": simple, "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")}
    return {"filename": name}
