"""Evidence files: type checked by content, size-limited, stored outside the web root."""

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from schools.hazards.models import Evidence, Hazard
from schools.hazards.operations import HazardError
from tenancy import audit

# Magic bytes → (content type, extension). The name a browser sends is never trusted.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
STAGES = ("found", "rectification")


def sniff(data: bytes) -> tuple[str, str] | None:
    """Return (content type, extension) for a JPEG, PNG, WebP or PDF, else None."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def evidence_folder(tenant_id: int) -> Path:
    """Return the tenant's evidence folder under the instance's upload folder."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "evidence" / str(tenant_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def attach_evidence(hazard: Hazard, data: bytes, filename: str, stage: str, user=None) -> Evidence:
    """Store a photo or PDF for a hazard under a server-generated name."""
    if stage not in STAGES:
        raise HazardError(_("Unknown stage '%(value)s'.", value=stage), "stage")
    limit = current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024
    if not data:
        raise HazardError(_("The file is empty."), "file")
    if len(data) > limit:
        raise HazardError(
            _("The file is larger than %(n)d MB.", n=current_app.config["UPLOAD_MAX_MB"]), "file"
        )
    kind = sniff(data)
    if kind is None:
        raise HazardError(_("Only photos (JPEG, PNG, WebP) and PDF files can be attached."), "file")
    content_type, extension = kind
    stored_name = secrets.token_hex(16) + extension
    (evidence_folder(hazard.tenant_id) / stored_name).write_bytes(data)
    item = Evidence(
        tenant_id=hazard.tenant_id,
        hazard_id=hazard.id,
        org_unit_id=hazard.org_unit_id,
        stage=stage,
        stored_name=stored_name,
        original_name=Path(filename or "file").name[:255],
        content_type=content_type,
        size=len(data),
        uploaded_by_id=getattr(user, "id", None),
    )
    hazard.evidence.append(item)
    audit.record("hazard.evidence", item, summary=item.original_name)
    return item


def evidence_path(item: Evidence) -> Path:
    """Return where an evidence file lives on disk."""
    return evidence_folder(item.tenant_id) / item.stored_name
