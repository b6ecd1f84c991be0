"""Evidence files: type checked by content, size-limited, stored outside the web root."""

from pathlib import Path

from flask_babel import gettext as _

from schools.files import PHOTOS_AND_PDF, FileRefused, check_upload, new_stored_name, store_file, stored_path
from schools.hazards.models import Evidence, Hazard
from schools.hazards.operations import HazardError
from tenancy import audit

STAGES = ("found", "rectification")


def attach_evidence(hazard: Hazard, data: bytes, filename: str, stage: str, user=None) -> Evidence:
    """Store a photo or PDF for a hazard under a server-generated name."""
    if stage not in STAGES:
        raise HazardError(_("Unknown stage '%(value)s'.", value=stage), "stage")
    try:
        content_type, extension = check_upload(
            data, PHOTOS_AND_PDF, _("Only photos (JPEG, PNG, WebP) and PDF files can be attached.")
        )
    except FileRefused as problem:
        raise HazardError(str(problem), "file") from None
    stored_name = new_stored_name(extension)
    store_file(hazard.tenant_id, stored_name, data)
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
    return stored_path(item.tenant_id, item.stored_name)
