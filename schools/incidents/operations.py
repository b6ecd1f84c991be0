"""Writes to incidents: the first report, follow-ups (续报) and the closing report (结案报告). Never commits.

Rules:
- reported_at is when the first report was recorded in the platform (server time, to the second);
  occurred_at is entered by the school in the tenant's local time (the "timezone" setting,
  tenancy.settings.store.tenant_timezone), to the minute; the API also takes an ISO time with an
  offset. occurred_at may not be in the future nor after reported_at.
- lag = reported_at − occurred_at in whole minutes (rounded down: 60 min 59 s is 60), stored with
  the incident when it is first reported and never changed afterwards.
- the one-hour rule: a lag over 60 minutes is late; exactly 60 minutes is on time.
- serious = severity "larger" or above (较大/重大/特别重大), or any death or serious injury. Every
  incident is visible at once to every level above the school (scope); serious ones are put first
  and highlighted on the bureau's live list.
- follow-ups and the closing report attach to the one incident named, which must be in the
  user's scope (404 otherwise), reported by a user holding incident.report at its school (403)
  and still open (409). A follow-up or the closing report may update the casualty figures, the
  severity and the measures; the closing report also settles whether it was a responsibility
  accident (责任事故). Each report keeps the facts it changed.
- closing sets status "closed" and closed_at; a late incident's incident_late flag is cleared then.
- an incident belongs to a school (a record-keeping unit other than a grade group: a grade
  group's incidents are reported by its school).
Every write is audited and asks the flags job to recompute the school's flags.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from schools.files import PHOTOS_AND_PDF, FileRefused, check_upload, new_stored_name, store_file, stored_path
from schools.incidents.models import KINDS, SEVERITIES, Incident, IncidentAttachment, IncidentReport
from schools.units import keeps_records, refresh_flags_later
from tenancy import audit
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.settings.store import tenant_timezone

PLACE_MAX = 200
TEXT_MAX = 4000
COUNT_MAX = 10000
COUNT_FIELDS = ("deaths", "serious_injuries", "minor_injuries")
LATER_REPORT_KINDS = ("follow_up", "closing")
EARLIEST_YEAR = 2000
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


class IncidentError(ValueError):
    """An incident change that breaks a rule; `field` names the culprit, `status` the HTTP answer."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class IncidentClosed(IncidentError):
    """The incident is closed: it takes no more reports."""

    status = 409


def keeps_incidents(unit: OrgUnit) -> bool:
    """Schools report incidents; a grade group's are reported by its school."""
    return keeps_records(unit) and unit.kind != "grade_group"


def parse_occurred_at(value: str | datetime | None) -> datetime:
    """Read when an incident happened: local time without an offset, or an ISO time with one."""
    if isinstance(value, datetime):
        when = value
    else:
        text = (value or "").strip()
        if not text:
            raise IncidentError(_("Give the date and time it happened."), "occurred_at")
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            raise IncidentError(
                _("Give the date and time as YYYY-MM-DD HH:MM, for example 2026-03-05 14:30."), "occurred_at"
            ) from None
    if when.year < EARLIEST_YEAR:
        raise IncidentError(_("Give the date and time it happened."), "occurred_at")
    if when.tzinfo is None:
        when = when.replace(tzinfo=tenant_timezone())
    return when.astimezone(UTC).replace(second=0, microsecond=0)


def lag_minutes(occurred_at: datetime, reported_at: datetime) -> int:
    """Return reported_at − occurred_at in whole minutes (rounded down)."""
    return int((reported_at - occurred_at) // timedelta(minutes=1))


def _text(values: dict[str, Any], name: str, limit: int, required: str | None = None) -> str:
    text = str(values.get(name) or "").strip()
    if not text and required:
        raise IncidentError(required, name)
    if len(text) > limit:
        raise IncidentError(_("At most %(n)d characters.", n=limit), name)
    return text


def _count(value: Any, name: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= COUNT_MAX:
        raise IncidentError(_("Give a whole number of people, 0 or more."), name)
    return value


def _choice(value: Any, choices: dict, name: str, message: str) -> str:
    if value not in choices:
        raise IncidentError(message, name)
    return value


def _author(user) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "username", "") or "")[:120]


def check_file(data: bytes) -> tuple[str, str]:
    """Return (content type, extension) of an acceptable attachment, else raise IncidentError."""
    try:
        return check_upload(
            data, PHOTOS_AND_PDF, _("Only photos (JPEG, PNG, WebP) and PDF files can be attached.")
        )
    except FileRefused as problem:
        raise IncidentError(str(problem), "attachment") from None


def attach_file(report: IncidentReport, data: bytes, filename: str, user=None) -> IncidentAttachment:
    """Store a photo or PDF with a report (content-checked, size-limited, outside the web root)."""
    content_type, extension = check_file(data)
    stored_name = new_stored_name(extension)
    item = IncidentAttachment(
        tenant_id=report.tenant_id,
        org_unit_id=report.org_unit_id,
        stored_name=stored_name,
        original_name=Path(filename or "file").name[:255],
        content_type=content_type,
        size=len(data),
        uploaded_by_id=getattr(user, "id", None),
    )
    report.attachments.append(item)
    audit.record("incident.attachment", item, summary=item.original_name)
    # Written last, once every check passed: a rejected request leaves no file behind.
    store_file(report.tenant_id, stored_name, data)
    return item


def attachment_path(item: IncidentAttachment) -> Path:
    """Return where an attachment lives on disk."""
    return stored_path(item.tenant_id, item.stored_name)


def report_incident(
    school: OrgUnit,
    values: dict[str, Any],
    user=None,
    *,
    files: list[tuple[bytes, str]] = (),
    now: datetime | None = None,
) -> Incident:
    """Record an incident and its first report; reported_at is now (server time)."""
    if not keeps_incidents(school):
        raise IncidentError(_("Grade groups report incidents through their school."), "school_id")
    for data, _name in files:
        check_file(data)
    reported_at = (now or utcnow()).replace(microsecond=0)
    occurred_at = parse_occurred_at(values.get("occurred_at"))
    if occurred_at > reported_at:
        raise IncidentError(_("The time it happened cannot be in the future."), "occurred_at")
    facts = {
        "kind": _choice(values.get("kind"), KINDS, "kind", _("Choose the kind of incident.")),
        "severity": _choice(
            values.get("severity") or "general", SEVERITIES, "severity", _("Choose the severity.")
        ),
        "place": " ".join(_text(values, "place", PLACE_MAX, _("Say where it happened.")).split()),
        "summary": _text(values, "summary", TEXT_MAX, _("Say what happened.")),
        **{name: _count(values.get(name, 0), name) for name in COUNT_FIELDS},
        "measures": _text(values, "measures", TEXT_MAX),
        "is_responsibility_accident": bool(values.get("is_responsibility_accident")),
    }
    incident = Incident(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        occurred_at=occurred_at,
        reported_at=reported_at,
        lag_minutes=lag_minutes(occurred_at, reported_at),
        status="open",
        reported_by_id=getattr(user, "id", None),
        **facts,
    )
    db.session.add(incident)
    report = IncidentReport(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        kind="first",
        text=facts["summary"],
        reported_at=reported_at,
        author_id=getattr(user, "id", None),
        author_name=_author(user),
        changes={},
    )
    incident.reports.append(report)
    db.session.flush()
    audit.record(
        "incident.report",
        incident,
        summary=f"{school.code} {incident.kind} {incident.lag_minutes}min",
    )
    for data, filename in files:
        attach_file(report, data, filename, user)
    refresh_flags_later(school.id)
    return incident


def report_problem(incident: Incident) -> IncidentError | None:
    """Return why the incident takes no more reports, or None when it does."""
    if incident.status != "open":
        return IncidentClosed(_("This incident is closed: it takes no more reports."), "incident_id")
    return None


def add_report(
    incident: Incident,
    kind: str,
    values: dict[str, Any],
    user=None,
    *,
    files: list[tuple[bytes, str]] = (),
    now: datetime | None = None,
) -> IncidentReport:
    """Add a follow-up or the closing report; update the facts it gives; closing closes the incident."""
    kind = _choice(
        kind, {k: k for k in LATER_REPORT_KINDS}, "kind", _("Choose a follow-up or the closing report.")
    )
    problem = report_problem(incident)
    if problem is not None:
        raise problem
    text = _text(values, "text", TEXT_MAX, _("Write the report."))
    for data, _name in files:
        check_file(data)
    updates: dict[str, Any] = {}
    for name in COUNT_FIELDS:
        if values.get(name) not in (None, ""):
            updates[name] = _count(values[name], name)
    if values.get("severity") not in (None, ""):
        updates["severity"] = _choice(values["severity"], SEVERITIES, "severity", _("Choose the severity."))
    if (values.get("measures") or "").strip():
        updates["measures"] = _text(values, "measures", TEXT_MAX)
    if kind == "closing" and values.get("is_responsibility_accident") is not None:
        updates["is_responsibility_accident"] = bool(values["is_responsibility_accident"])
    changes = {
        name: {"before": getattr(incident, name), "after": value}
        for name, value in updates.items()
        if getattr(incident, name) != value
    }
    reported_at = (now or utcnow()).replace(microsecond=0)
    for name, change in changes.items():
        setattr(incident, name, change["after"])
    if kind == "closing":
        changes["status"] = {"before": incident.status, "after": "closed"}
        incident.status = "closed"
        incident.closed_at = reported_at
        incident.closed_by_id = getattr(user, "id", None)
    report = IncidentReport(
        tenant_id=incident.tenant_id,
        org_unit_id=incident.org_unit_id,
        kind=kind,
        text=text,
        reported_at=reported_at,
        author_id=getattr(user, "id", None),
        author_name=_author(user),
        changes=changes,
    )
    incident.reports.append(report)
    db.session.flush()
    audit.record(
        "incident.close" if kind == "closing" else "incident.follow_up",
        incident,
        changes={**changes, "report_id": {"before": None, "after": report.id}},
        summary=f"{incident.school.code} #{incident.id} {kind}",
    )
    for data, filename in files:
        attach_file(report, data, filename, user)
    refresh_flags_later(incident.org_unit_id)
    return report
