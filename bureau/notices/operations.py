"""Writes to rectification notices: issue, answer, decide. Never commits.

Numbers are given per tenant and year with no gaps: the tenant's counter row for the year is
written first, which holds every other issuer of the tenant back until this transaction ends
(a row lock on PostgreSQL, the write lock on SQLite); the number is then the year's highest
plus one. A rolled-back issue gives its number back.
"""

import secrets
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from bureau.notices import access
from bureau.notices.codes import STATUS_LABELS
from bureau.notices.models import (
    AWAITING_ANSWER,
    Notice,
    NoticeAnswer,
    NoticeAttachment,
    NoticeCounter,
    NoticeHazard,
)
from schools.files import sniff
from schools.hazards.models import Hazard, HazardEvent
from schools.units import refresh_flags_later
from tenancy import audit
from tenancy.audit import current_actor
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.settings.store import tenant_timezone

MAX_FILES = 10
TITLE_MAX, TEXT_MAX, COMMENT_MAX = 200, 5000, 2000


class NoticeError(ValueError):
    """A notice change that breaks a rule; `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NoticeConflict(NoticeError):
    """Someone else changed the notice first (two decisions at once, an answer after acceptance)."""


def _text(value: str | None, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise NoticeError(_("This field is required."), field)
    if len(value) > limit:
        raise NoticeError(_("At most %(n)d characters.", n=limit), field)
    return value


def _counter_insert(tenant_id: int, year: int):
    values = {"tenant_id": tenant_id, "year": year, "last_number": 0}
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect}")
    return insert(NoticeCounter).values(**values).on_conflict_do_nothing(index_elements=["tenant_id", "year"])


def next_number(tenant_id: int, year: int) -> int:
    """Take the tenant's numbering lock for `year` and return the next number (highest + 1)."""
    db.session.execute(_counter_insert(tenant_id, year))
    bump = (
        update(NoticeCounter)
        .where(NoticeCounter.tenant_id == tenant_id, NoticeCounter.year == year)
        .values(last_number=NoticeCounter.last_number + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(bump)  # from here on, other issuers of this tenant wait for our commit
    highest = db.session.scalar(
        select(func.max(Notice.number)).where(Notice.tenant_id == tenant_id, Notice.year == year)
    )
    number = (highest or 0) + 1
    db.session.execute(
        update(NoticeCounter)
        .where(NoticeCounter.tenant_id == tenant_id, NoticeCounter.year == year)
        .values(last_number=number)
        .execution_options(synchronize_session=False)
    )
    return number


def _hazards_of(school: OrgUnit, hazard_ids: Iterable[int]) -> list[Hazard]:
    ids = []
    for value in hazard_ids or ():
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise NoticeError(_("'%(value)s' is not a hazard number.", value=value), "hazard_ids") from None
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise NoticeError(_("List at least one hazard of the school."), "hazard_ids")
    hazards = db.session.scalars(select(Hazard).where(Hazard.id.in_(ids))).all()
    found = {hazard.id: hazard for hazard in hazards}
    for hazard_id in ids:
        hazard = found.get(hazard_id)
        if hazard is None or hazard.org_unit_id != school.id:
            raise NoticeError(
                _("Hazard %(id)s is not a hazard of %(school)s.", id=hazard_id, school=school.name),
                "hazard_ids",
            )
        if hazard.status == "verified":
            raise NoticeError(
                _("Hazard %(seq)s is already verified and closed.", seq=hazard.seq or hazard.id), "hazard_ids"
            )
    return [found[hazard_id] for hazard_id in ids]


def issue_notice(
    issuer_unit: OrgUnit,
    school: OrgUnit,
    hazard_ids: Iterable[int],
    deadline: date | None,
    title: str,
    body: str,
    user,
) -> Notice:
    """Issue a numbered notice from a central school (to its schools) or the bureau (to any school)."""
    if not access.may_issue(issuer_unit, school, user):
        raise PermissionError("notice.issue")
    title = _text(title, "title", TITLE_MAX)
    body = _text(body, "body", TEXT_MAX)
    hazards = _hazards_of(school, hazard_ids)
    now = utcnow()
    today = now.astimezone(tenant_timezone()).date()
    if deadline is None:
        raise NoticeError(_("Give the deadline for the rectification."), "deadline")
    if deadline < today:
        raise NoticeError(_("The deadline cannot be in the past."), "deadline")
    notice = Notice(
        tenant_id=school.tenant_id,
        year=today.year,
        number=next_number(school.tenant_id, today.year),
        org_unit_id=school.id,
        issuer_unit_id=issuer_unit.id,
        issued_by_id=getattr(user, "id", None),
        issued_at=now,
        deadline=deadline,
        title=title,
        body=body,
        status="issued",
    )
    notice.hazard_links = [
        NoticeHazard(tenant_id=school.tenant_id, hazard_id=hazard.id) for hazard in hazards
    ]
    db.session.add(notice)
    db.session.flush()
    changes = audit.snapshot(notice)
    changes["hazard_ids"] = {"before": None, "after": [hazard.id for hazard in hazards]}
    audit.record("notice.issue", notice, changes=changes, summary=f"{notice.label} {title}")
    _note_on_hazards(notice, hazards)
    refresh_flags_later(school.id)
    return notice


def _note_on_hazards(notice: Notice, hazards: list[Hazard]) -> None:
    """Leave a line in each listed hazard's history, so its page shows the notice."""
    user_id, actor, _roles, _org = current_actor()
    for hazard in hazards:
        db.session.add(
            HazardEvent(
                tenant_id=hazard.tenant_id,
                hazard_id=hazard.id,
                user_id=user_id,
                actor=actor,
                action="notice",
                from_status=hazard.status,
                to_status=hazard.status,
                note=f"{notice.label} {notice.title}"[:2000],
            )
        )


def _move(notice: Notice, sources: tuple[str, ...], target: str) -> str:
    """Change the status only if nobody changed it since we read it; return the status before."""
    before = notice.status
    result = db.session.execute(
        update(Notice)
        .where(Notice.id == notice.id, Notice.status.in_(sources))
        .values(status=target)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(notice)
        raise NoticeConflict(
            _("Someone else changed this notice a moment ago; reload the page and check it again."), "status"
        )
    set_committed_value(notice, "status", target)
    return before


def notice_folder(tenant_id: int) -> Path:
    """Return the tenant's folder of answer attachments under the instance's upload folder."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "notices" / str(tenant_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def attachment_path(item: NoticeAttachment) -> Path:
    """Return where an answer's attachment lives on disk."""
    return notice_folder(item.tenant_id) / item.stored_name


def _checked_files(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes, str, str]]:
    """Check every file by its content before anything is stored."""
    files = list(files or ())
    if len(files) > MAX_FILES:
        raise NoticeError(_("Attach at most %(n)d files.", n=MAX_FILES), "files")
    limit_mb = current_app.config["UPLOAD_MAX_MB"]
    checked = []
    for filename, data in files:
        name = Path(filename or "file").name[:255]
        if not data:
            raise NoticeError(_("The file %(name)s is empty.", name=name), "files")
        if len(data) > limit_mb * 1024 * 1024:
            raise NoticeError(_("The file %(name)s is larger than %(n)d MB.", name=name, n=limit_mb), "files")
        kind = sniff(data)
        if kind is None:
            raise NoticeError(
                _("%(name)s is not a photo (JPEG, PNG, WebP) or a PDF file.", name=name), "files"
            )
        checked.append((name, data, *kind))
    return checked


def answer_notice(notice: Notice, measures: str, files: Iterable[tuple[str, bytes]], user) -> NoticeAnswer:
    """Record the school's answer (measures taken, photos/PDFs); the issuer then decides on it."""
    if not access.may_answer(notice, user):
        raise PermissionError("notice.answer")
    if notice.status not in AWAITING_ANSWER:
        raise NoticeError(
            _(
                "This notice is not waiting for an answer (it is %(status)s).",
                status=status_label(notice.status),
            ),
            "status",
        )
    measures = _text(measures, "measures", TEXT_MAX)
    checked = _checked_files(files)
    before = _move(notice, AWAITING_ANSWER, "answered")
    answer = NoticeAnswer(
        tenant_id=notice.tenant_id,
        notice_id=notice.id,
        org_unit_id=notice.org_unit_id,
        measures=measures,
        answered_by_id=getattr(user, "id", None),
        answered_at=utcnow(),
    )
    notice.answers.append(answer)
    db.session.flush()
    folder = notice_folder(notice.tenant_id)
    for name, data, content_type, extension in checked:
        stored_name = secrets.token_hex(16) + extension
        (folder / stored_name).write_bytes(data)
        answer.attachments.append(
            NoticeAttachment(
                tenant_id=notice.tenant_id,
                notice_id=notice.id,
                org_unit_id=notice.org_unit_id,
                stored_name=stored_name,
                original_name=name,
                content_type=content_type,
                size=len(data),
                uploaded_by_id=getattr(user, "id", None),
            )
        )
    changes = audit.snapshot(answer)
    changes["status"] = {"before": before, "after": "answered"}
    changes["attachments"] = {"before": None, "after": [name for name, *_rest in checked]}
    audit.record("notice.answer", answer, changes=changes, summary=notice.label)
    refresh_flags_later(notice.org_unit_id)
    return answer


def decide(notice: Notice, accept: bool, comment: str, user) -> Notice:
    """Accept the school's answer (the notice closes) or reject it with a reason (it answers again)."""
    if not access.may_decide(notice, user):
        raise PermissionError("notice.decide")
    answer = notice.latest_answer
    if notice.status != "answered" or answer is None or answer.decision is not None:
        raise NoticeError(
            _(
                "There is no answer to decide on (the notice is %(status)s).",
                status=status_label(notice.status),
            ),
            "status",
        )
    comment = _text(comment, "comment", COMMENT_MAX, required=not accept)
    target = "accepted" if accept else "rejected"
    before = _move(notice, ("answered",), target)
    answer.decision = target
    answer.decision_comment = comment or None
    answer.decided_by_id = getattr(user, "id", None)
    answer.decided_at = utcnow()
    audit.record(
        f"notice.{'accept' if accept else 'reject'}",
        notice,
        changes={
            "status": {"before": before, "after": target},
            "comment": {"before": None, "after": comment},
        },
        summary=f"{notice.label} {comment}"[:255],
    )
    refresh_flags_later(notice.org_unit_id)
    return notice


def status_label(status: str) -> str:
    """Return the readable name of a notice status."""
    return str(STATUS_LABELS.get(status, status))
