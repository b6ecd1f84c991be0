"""The in-app inbox: one digest per user per day of what is new in their scope, not one message per event.

A digest lists what appeared since the user's previous digest (or in the last day, for the
first one):
- flags raised in the user's scope and still open: counts by kind and a few examples;
- for school safety officers: reports of their school returned for resubmission (and not
  resubmitted yet), and rectification notices received (or whose answer was rejected) that
  still wait for an answer;
- for the issuing level (central-school reviewers, bureau staff and admins): answers to the
  notices their unit issued that wait for a decision.
Users with nothing new get no message; running the digest twice on one day writes nothing
the second time (one message per user per local day). Items hold plain values (ids, codes,
names, dates), so each reader sees them in their own language.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.orm import aliased, selectinload

from bureau.flags.compute import AWAITING_ANSWER, short_text
from bureau.flags.models import Flag, InboxMessage
from bureau.flags.queries import board_order, counts_by_kind, visible_flags, with_units
from bureau.notices.models import Notice, NoticeAnswer
from schools.submissions.models import Submission
from tenancy.extensions import db
from tenancy.models import OrgUnit, User, utcnow
from tenancy.roles import PERMISSIONS, Role
from tenancy.scoping import subtree_filter
from tenancy.settings.store import tenant_timezone

FIRST_LOOKBACK = timedelta(days=1)  # what a user's first digest looks back over
EXAMPLES = 5  # example flags per digest
LIST_MAX = 20  # reports or notices listed per digest item
# Who hears of what: those who submit reports, answer notices, and issue (and decide on) notices.
SUBMITTERS = PERMISSIONS.get("report.submit", frozenset({Role.SCHOOL_ADMIN}))
ANSWERERS = PERMISSIONS.get("notice.answer", frozenset({Role.SCHOOL_ADMIN}))
ISSUERS = PERMISSIONS.get(
    "notice.issue", frozenset({Role.CENTRAL_REVIEWER, Role.BUREAU_STAFF, Role.BUREAU_ADMIN})
)


def local_day(now: datetime) -> str:
    """Return the tenant's local date of `now` as YYYY-MM-DD (a digest's day)."""
    return now.astimezone(tenant_timezone()).date().isoformat()


def send_daily_digests(now: datetime | None = None) -> int:
    """Write today's digest for every enabled user of the tenant who has something new; return how many."""
    now = now or utcnow()
    day = local_day(now)
    done = set(db.session.scalars(select(InboxMessage.user_id).where(InboxMessage.day == day)))
    last = dict(
        db.session.execute(
            select(InboxMessage.user_id, func.max(InboxMessage.created_at)).group_by(InboxMessage.user_id)
        ).all()
    )
    users = db.session.scalars(
        select(User).where(User.is_enabled).options(selectinload(User.grants)).order_by(User.id)
    ).all()
    written = 0
    for user in users:
        if user.id in done:
            continue
        items = digest_items(user, last.get(user.id) or now - FIRST_LOOKBACK)
        if items:
            db.session.add(InboxMessage(user_id=user.id, day=day, items=items, created_at=now))
            written += 1
    db.session.flush()
    return written


def digest_items(user: User, since: datetime) -> list[dict[str, Any]]:
    """Return the items of the user's digest: what is new in their scope since `since`."""
    items = [_new_flags(user, since), _returned_reports(user, since), _notices_received(user, since)]
    items.append(_answers_awaiting(user, since))
    return [item for item in items if item]


def _new_flags(user: User, since: datetime) -> dict[str, Any] | None:
    counts = {kind: count for kind, count in counts_by_kind(user, since=since).items() if count}
    if not counts:
        return None
    rows = db.session.execute(
        board_order(with_units(visible_flags(user).where(Flag.raised_at > since))).limit(EXAMPLES)
    )
    examples = [
        {
            "flag_id": flag.id,
            "kind": flag.kind,
            "subject": flag.subject,
            "org_unit_id": unit.id,
            "unit": unit.name,
            "details": flag.details,
        }
        for flag, unit in rows
    ]
    return {"type": "flags", "counts": counts, "examples": examples}


def _units_of(user: User, roles: frozenset[str]) -> Select | None:
    paths = sorted({grant.org_unit.path for grant in user.grants if grant.role in roles})
    return select(OrgUnit.id).where(subtree_filter(OrgUnit.path, paths)) if paths else None


def _returned_reports(user: User, since: datetime) -> dict[str, Any] | None:
    units = _units_of(user, SUBMITTERS)
    if units is None:
        return None
    newer = aliased(Submission)
    resubmitted = exists().where(
        newer.org_unit_id == Submission.org_unit_id,
        newer.period == Submission.period,
        newer.version > Submission.version,
    )
    rows = db.session.execute(
        select(Submission, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Submission.org_unit_id)
        .where(
            Submission.org_unit_id.in_(units),
            Submission.status == "returned",
            Submission.reviewed_at > since,
            ~resubmitted,
        )
        .order_by(Submission.period.desc(), OrgUnit.code)
        .limit(LIST_MAX)
    ).all()
    if not rows:
        return None
    reports = [
        {
            "submission_id": report.id,
            "org_unit_id": unit.id,
            "unit": unit.name,
            "period": f"{report.period:%Y-%m}",
            "version": report.version,
            "comment": short_text(report.review_comment),
        }
        for report, unit in rows
    ]
    return {"type": "reports_returned", "reports": reports}


def _notice_entry(notice: Notice, unit: OrgUnit) -> dict[str, Any]:
    return {
        "notice_id": notice.id,
        "org_unit_id": unit.id,
        "unit": unit.name,
        "label": f"〔{notice.year}〕第{notice.number}号",
        "title": short_text(notice.title),
        "deadline": notice.deadline.isoformat(),
        "status": notice.status,
    }


def _notices_received(user: User, since: datetime) -> dict[str, Any] | None:
    units = _units_of(user, ANSWERERS)
    if units is None:
        return None
    rejected_since = exists().where(
        NoticeAnswer.notice_id == Notice.id,
        NoticeAnswer.decision == "rejected",
        NoticeAnswer.decided_at > since,
    )
    rows = db.session.execute(
        select(Notice, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Notice.org_unit_id)
        .where(
            Notice.org_unit_id.in_(units),
            Notice.status.in_(AWAITING_ANSWER),
            (Notice.issued_at > since) | rejected_since,
        )
        .order_by(Notice.deadline, Notice.id)
        .limit(LIST_MAX)
    ).all()
    if not rows:
        return None
    return {"type": "notices_received", "notices": [_notice_entry(notice, unit) for notice, unit in rows]}


def _answers_awaiting(user: User, since: datetime) -> dict[str, Any] | None:
    issuers = sorted({grant.org_unit_id for grant in user.grants if grant.role in ISSUERS})
    if not issuers:
        return None
    answered_since = exists().where(NoticeAnswer.notice_id == Notice.id, NoticeAnswer.answered_at > since)
    rows = db.session.execute(
        select(Notice, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Notice.org_unit_id)
        .where(Notice.issuer_unit_id.in_(issuers), Notice.status == "answered", answered_since)
        .order_by(Notice.deadline, Notice.id)
        .limit(LIST_MAX)
    ).all()
    if not rows:
        return None
    return {"type": "answers_awaiting", "notices": [_notice_entry(notice, unit) for notice, unit in rows]}


# --- the user's own inbox ------------------------------------------------------------------


def messages_of(user: User) -> Select:
    """Select the user's digests, newest first."""
    return (
        select(InboxMessage)
        .where(InboxMessage.user_id == user.id)
        .order_by(InboxMessage.day.desc(), InboxMessage.id.desc())
    )


def unread_count(user: User) -> int:
    """Return how many of the user's digests are unread."""
    return db.session.scalar(
        select(func.count())
        .select_from(InboxMessage)
        .where(InboxMessage.user_id == user.id, InboxMessage.read_at.is_(None))
    )


def message_of(user: User, message_id: int) -> InboxMessage | None:
    """Return one of the user's own digests (None for anyone else's)."""
    return db.session.scalar(
        select(InboxMessage).where(InboxMessage.id == message_id, InboxMessage.user_id == user.id)
    )


def mark_read(message: InboxMessage) -> None:
    """Mark a digest read (reading your own inbox is not audited)."""
    if message.read_at is None:
        message.read_at = utcnow()
        db.session.flush()


def mark_all_read(user: User) -> int:
    """Mark every unread digest of the user read; return how many."""
    result = db.session.execute(
        update(InboxMessage)
        .where(InboxMessage.user_id == user.id, InboxMessage.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
