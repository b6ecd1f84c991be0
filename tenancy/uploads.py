"""Staged uploads: a file kept between its preview and its confirmation, outside the web root."""

import json
import re
import secrets
from pathlib import Path

from flask import abort, current_app
from flask_login import current_user

from tenancy.scoping import current_tenant_id

_TOKEN = re.compile(r"^[a-f0-9]{32}$")


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "staged" / str(current_tenant_id())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage_upload(data: bytes, filename: str, purpose: str) -> str:
    """Keep an uploaded file for the current user; return the token naming it."""
    token = secrets.token_hex(16)
    folder = _folder()
    (folder / f"{token}.bin").write_bytes(data)
    meta = {"filename": filename, "user_id": current_user.id, "purpose": purpose}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False))
    return token


def load_staged(token: str, purpose: str) -> tuple[bytes, str]:
    """Return (data, filename) of a file the current user staged for `purpose`, else 404."""
    if not _TOKEN.match(token):
        abort(404)
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.bin").read_bytes()
    except FileNotFoundError:
        abort(404)
    if meta["user_id"] != current_user.id or meta["purpose"] != purpose:
        abort(404)
    return data, meta["filename"]


def discard_staged(token: str) -> None:
    """Delete a staged file once it has been applied."""
    if _TOKEN.match(token):
        for suffix in (".bin", ".json"):
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)
