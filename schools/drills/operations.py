"""Writes to drills: record, correct, delete a drill; attach and remove photos. Never commits.

Rules:
- drills are recorded by the school's safety officer (permission drill.record) at a unit that
  owes drills (not at a grade group: grade groups drill with their school);
- a drill is recorded after it was held: its date is not after today (the tenant's local
  date) and not before 2000; participants and duration are whole numbers above zero; the
  problems found must be said (write "无" when there were none);
- photos are JPEG, PNG or WebP, recognised by their content (the upload checker of hazard
  evidence and every attached file: schools/files.py), within UPLOAD_MAX_MB, stored outside the web root
  under a generated name and served only after the scope check;
- delete is a real delete of the drill and its photos (a mistaken record should not count
  for the obligations); the audit event keeps every value of the deleted drill. The photo
  files are removed by the caller after the commit (`remove_files`), so a failed commit never
  loses a file of a drill that still exists.
Every change is audited and asks the flags job to recompute the school's flags.
"""

from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from schools.drills.models import DRILL_KINDS, Drill, DrillPhoto
from schools.drills.rules import owes_drills
from schools.files import PHOTOS, FileRefused, check_upload, new_stored_name, store_file, stored_path
from schools.units import refresh_flags_later
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.settings.store import tenant_today

TEXT_MAX = 4000
PARTICIPANTS_MAX = 100_000
DURATION_MAX = 24 * 60
EARLIEST = date(2000, 1, 1)
FIELDS = ("held_on", "kind", "participants", "duration_minutes", "problems", "improvements", "notes")


class DrillError(ValueError):
    """A drill change that breaks a rule; `field` names the culprit, `status` the HTTP answer."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _whole(value: Any, field: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise DrillError(_("Give a whole number."), field) from None
    if not 1 <= value <= high:
        raise DrillError(_("Give a number from 1 to %(n)d.", n=high), field)
    return value


def _text(value: Any, field: str, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DrillError(_("Say what problems the drill found (write “无” when there were none)."), field)
    if len(text) > TEXT_MAX:
        raise DrillError(_("At most %(n)d characters.", n=TEXT_MAX), field)
    return text


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """Check a drill's values; return them cleaned, or raise DrillError naming the first bad field."""
    held_on = values.get("held_on")
    if not isinstance(held_on, date):
        raise DrillError(_("Give the date the drill was held."), "held_on")
    if held_on > tenant_today():
        raise DrillError(
            _("A drill is recorded after it was held: the date cannot be in the future."), "held_on"
        )
    if held_on < EARLIEST:
        raise DrillError(_("The date is too far in the past."), "held_on")
    if values.get("kind") not in DRILL_KINDS:
        raise DrillError(_("Choose the kind of drill."), "kind")
    return {
        "held_on": held_on,
        "kind": values["kind"],
        "participants": _whole(values.get("participants"), "participants", PARTICIPANTS_MAX),
        "duration_minutes": _whole(values.get("duration_minutes"), "duration_minutes", DURATION_MAX),
        "problems": _text(values.get("problems"), "problems", required=True),
        "improvements": _text(values.get("improvements"), "improvements"),
        "notes": _text(values.get("notes"), "notes"),
    }


def _summary(school: OrgUnit, drill: Drill) -> str:
    return f"{school.code} {drill.held_on.isoformat()} {drill.kind}"


def record_drill(school: OrgUnit, values: dict[str, Any], user=None) -> Drill:
    """Record a drill the school held."""
    if not owes_drills(school.kind):
        raise DrillError(_("Grade groups drill with their school; record the drill there."), "school_id")
    drill = Drill(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        recorded_by_id=getattr(user, "id", None),
        **clean_values(values),
    )
    db.session.add(drill)
    db.session.flush()
    audit.record("drill.record", drill, summary=_summary(school, drill))
    refresh_flags_later(school.id)
    return drill


def update_drill(drill: Drill, values: dict[str, Any]) -> Drill:
    """Correct a recorded drill."""
    cleaned = clean_values(values)
    for name, value in cleaned.items():
        setattr(drill, name, value)
    changes = audit.pending_changes(drill)
    if changes:
        drill.updated_at = utcnow()
        audit.record("drill.update", drill, changes=changes, summary=_summary(drill.school, drill))
        refresh_flags_later(drill.org_unit_id)
    return drill


def delete_drill(drill: Drill) -> list[Path]:
    """Delete a drill and its photos; return the photo files for the caller to remove after commit."""
    files = [photo_path(photo) for photo in drill.photos]
    changes = {key: {"before": value["after"], "after": None} for key, value in audit.snapshot(drill).items()}
    changes["photos"] = {"before": [photo.original_name for photo in drill.photos], "after": None}
    audit.record("drill.delete", drill, changes=changes, summary=_summary(drill.school, drill))
    school_id = drill.org_unit_id
    db.session.delete(drill)
    db.session.flush()
    refresh_flags_later(school_id)
    return files


def attach_photo(drill: Drill, data: bytes, filename: str, user=None) -> DrillPhoto:
    """Store a photo of the drill under a server-generated name."""
    try:
        content_type, extension = check_upload(
            data, PHOTOS, _("Only photos (JPEG, PNG, WebP) can be attached to a drill.")
        )
    except FileRefused as problem:
        raise DrillError(str(problem), "photo") from None
    stored_name = new_stored_name(extension)
    store_file(drill.tenant_id, stored_name, data)
    photo = DrillPhoto(
        tenant_id=drill.tenant_id,
        org_unit_id=drill.org_unit_id,
        stored_name=stored_name,
        original_name=Path(filename or "photo").name[:255],
        content_type=content_type,
        size=len(data),
        uploaded_by_id=getattr(user, "id", None),
    )
    drill.photos.append(photo)
    audit.record("drill.photo", photo, summary=f"{drill.held_on.isoformat()} {photo.original_name}")
    return photo


def delete_photo(photo: DrillPhoto) -> Path:
    """Remove a photo from its drill; return its file for the caller to remove after commit."""
    path = photo_path(photo)
    audit.record(
        "drill.photo_delete",
        photo,
        changes={"original_name": {"before": photo.original_name, "after": None}},
        summary=photo.original_name,
    )
    photo.drill.photos.remove(photo)
    db.session.flush()
    return path


def photo_path(photo: DrillPhoto) -> Path:
    """Return where a drill photo lives on disk."""
    return stored_path(photo.tenant_id, photo.stored_name)


def remove_files(paths: list[Path]) -> None:
    """Delete stored files once the change that dropped them is committed."""
    for path in paths:
        path.unlink(missing_ok=True)
