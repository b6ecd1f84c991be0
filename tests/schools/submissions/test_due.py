"""Due times across time zones and month ends; on time vs late; which months can be reported."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from schools.submissions import due, operations
from schools.submissions.due import due_at
from schools.submissions.models import Submission
from tenancy.extensions import db
from tenancy.settings.store import set_setting

SHANGHAI, URUMQI = ZoneInfo("Asia/Shanghai"), ZoneInfo("Asia/Urumqi")


def _settings(**values):
    for key, value in values.items():
        set_setting(key, value)
    db.session.flush()


@pytest.mark.parametrize(
    ("zone", "period", "due_day", "expected_utc"),
    [
        # default: the 5th of the next month, 23:59(:59) local
        ("Asia/Shanghai", date(2026, 3, 1), 5, datetime(2026, 4, 5, 15, 59, 59, tzinfo=UTC)),
        ("Asia/Urumqi", date(2026, 3, 1), 5, datetime(2026, 4, 5, 17, 59, 59, tzinfo=UTC)),
        # December → January of the next year
        ("Asia/Shanghai", date(2026, 12, 1), 5, datetime(2027, 1, 5, 15, 59, 59, tzinfo=UTC)),
        # January 31 exists: day 31 stays
        ("Asia/Shanghai", date(2026, 12, 1), 31, datetime(2027, 1, 31, 15, 59, 59, tzinfo=UTC)),
        # February is short: day 31 (and 30, 29) becomes its last day, 29 in a leap year
        ("Asia/Shanghai", date(2026, 1, 1), 31, datetime(2026, 2, 28, 15, 59, 59, tzinfo=UTC)),
        ("Asia/Shanghai", date(2028, 1, 1), 31, datetime(2028, 2, 29, 15, 59, 59, tzinfo=UTC)),
        ("Asia/Urumqi", date(2026, 1, 1), 28, datetime(2026, 2, 28, 17, 59, 59, tzinfo=UTC)),
        # a 30-day month
        ("Asia/Shanghai", date(2026, 3, 1), 31, datetime(2026, 4, 30, 15, 59, 59, tzinfo=UTC)),
        ("Asia/Shanghai", date(2026, 2, 1), 31, datetime(2026, 3, 31, 15, 59, 59, tzinfo=UTC)),
        ("Asia/Shanghai", date(2026, 2, 1), 28, datetime(2026, 3, 28, 15, 59, 59, tzinfo=UTC)),
    ],
)
def test_due_time(alpha, zone, period, due_day, expected_utc):
    _settings(timezone=zone, report_due_day=due_day)
    assert due_at(period) == expected_utc


def test_the_local_due_time_is_2359_in_the_tenants_zone(alpha):
    for zone in (SHANGHAI, URUMQI):
        _settings(timezone=zone.key)
        local = due_at(date(2026, 6, 1)).astimezone(zone)
        assert (local.date(), local.hour, local.minute) == (date(2026, 7, 5), 23, 59)


@pytest.mark.parametrize(
    ("zone", "local_time", "late"),
    [
        (SHANGHAI, datetime(2026, 4, 5, 23, 59, 0), False),
        (SHANGHAI, datetime(2026, 4, 5, 23, 59, 59), False),
        (SHANGHAI, datetime(2026, 4, 6, 0, 0, 0), True),
        (URUMQI, datetime(2026, 4, 5, 23, 59, 59), False),
        (URUMQI, datetime(2026, 4, 6, 0, 0, 0), True),
    ],
)
def test_on_time_until_the_end_of_the_due_minute(alpha, monkeypatch, zone, local_time, late):
    _settings(timezone=zone.key)
    submitted = local_time.replace(tzinfo=zone).astimezone(UTC)
    monkeypatch.setattr(operations, "utcnow", lambda: submitted.replace(microsecond=480000))
    submission = operations.submit_report(alpha.unit("S11"), date(2026, 3, 1), "", alpha.user("school11"))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Submission, submission.id)
    assert stored.submitted_at == submitted  # recorded to the second
    assert stored.is_late is late


def test_a_time_on_time_in_urumqi_is_late_in_shanghai(alpha):
    # 23:30 in Urumqi on the due day is 01:30 the next day in Beijing.
    submitted = datetime(2026, 4, 5, 23, 30, tzinfo=URUMQI)
    _settings(timezone="Asia/Urumqi")
    in_urumqi = Submission(submitted_at=submitted, due_at=due_at(date(2026, 3, 1)))
    _settings(timezone="Asia/Shanghai")
    in_shanghai = Submission(submitted_at=submitted, due_at=due_at(date(2026, 3, 1)))
    assert not in_urumqi.is_late and in_shanghai.is_late


@pytest.mark.parametrize(
    ("today", "period", "over"),
    [
        (date(2026, 4, 1), date(2026, 3, 1), True),
        (date(2026, 3, 31), date(2026, 3, 1), False),  # the current month, even on its last day
        (date(2026, 3, 31), date(2026, 4, 1), False),  # a future month
        (date(2027, 1, 1), date(2026, 12, 1), True),
        (date(2026, 12, 31), date(2026, 12, 1), False),
    ],
)
def test_only_a_month_that_is_over_can_be_reported(alpha, monkeypatch, today, period, over):
    monkeypatch.setattr(due, "tenant_today", lambda: today)
    assert due.is_over(period) is over
    problem = operations.submit_problem(alpha.unit("S11"), period)
    assert (problem is None) is over
    if not over:
        assert problem.field == "period"
