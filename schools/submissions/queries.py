"""Reads of monthly reports: a school's year, a user's review queue, the API's list."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select

from schools.submissions.due import due_at, is_over
from schools.submissions.models import SUBMISSION_STATUSES, Submission
from schools.submissions.operations import PERIOD_PATTERN
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.roles import PERMISSIONS
from tenancy.scoping import visible_org_ids


@dataclass
class MonthRow:
    """One month of a school's reporting year."""

    period: date
    due_at: datetime
    versions: list[Submission] = field(default_factory=list)

    @property
    def latest(self) -> Submission | None:
        return self.versions[-1] if self.versions else None

    @property
    def is_over(self) -> bool:
        return is_over(self.period)

    @property
    def timeliness(self) -> str:
        """on_time / late (judged by the first version), overdue (nothing yet, past due), or ''.

        A resubmission after a return does not make a month late: the school reported in time.
        """
        if self.versions:
            return "late" if self.versions[0].is_late else "on_time"
        return "overdue" if utcnow() > self.due_at else ""

    @property
    def can_submit(self) -> bool:
        return self.is_over and (self.latest is None or self.latest.status == "returned")


def school_year(school: OrgUnit, year: int) -> list[MonthRow]:
    """Return the twelve months of a year with their report versions and due times."""
    rows = {month: MonthRow(date(year, month, 1), due_at(date(year, month, 1))) for month in range(1, 13)}
    found = db.session.scalars(
        select(Submission)
        .where(
            Submission.org_unit_id == school.id,
            Submission.period >= date(year, 1, 1),
            Submission.period <= date(year, 12, 1),
        )
        .order_by(Submission.period, Submission.version)
    )
    for submission in found:
        row = rows[submission.period.month]
        if not row.versions:
            row.due_at = submission.due_at  # fixed when first submitted, whatever the setting is now
        row.versions.append(submission)
    return list(rows.values())


def visible_submissions(user=None) -> Select:
    """Select the reports of every school in the user's subtrees."""
    return select(Submission).where(Submission.org_unit_id.in_(visible_org_ids(user)))


def review_queue(user) -> Select:
    """Select the reports the user reviews: at the bureau every report in scope (directly-run
    schools' included); at a central school those whose reviewer unit is that central school."""
    units = [grant.org_unit for grant in user.grants if grant.role in PERMISSIONS["report.review"]]
    query = visible_submissions(user)
    if any(unit.level == 1 for unit in units):
        return query
    return query.where(Submission.reviewer_unit_id.in_([unit.id for unit in units]))


@dataclass
class QueueFilters:
    """The review queue's filters from the query string (bad values are dropped)."""

    status: str = "submitted"  # "" means every status
    period: str = ""  # YYYY-MM
    school: int | None = None

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        status = args.get("status", "submitted")
        period = args.get("period", "")
        school = args.get("school", "")
        return cls(
            status=status if status in SUBMISSION_STATUSES else "",
            period=period if PERIOD_PATTERN.match(period) else "",
            school=int(school) if school.isdigit() else None,
        )

    def apply(self, query: Select) -> Select:
        """Narrow a report query by these filters."""
        return filter_submissions(query, status=self.status, period=self.period, school_id=self.school)


def filter_submissions(query: Select, *, status: str = "", period: str = "", school_id: int | None = None):
    """Narrow a report query by status, month (YYYY-MM) and school."""
    if status:
        query = query.where(Submission.status == status)
    if period:
        year, month = map(int, period.split("-"))
        query = query.where(Submission.period == date(year, month, 1))
    if school_id is not None:
        query = query.where(Submission.org_unit_id == school_id)
    return query
