"""The one-hour rule, time zones, follow-ups and closing, flags and the lead's query functions."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bureau.flags.models import Flag
from bureau.flags.operations import refresh_unit
from schools.incidents.models import Incident, IncidentReport
from schools.incidents.operations import IncidentClosed, IncidentError, add_report
from schools.incidents.queries import incident_timeliness, live_incidents
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.settings.store import set_setting
from tests.schools.incidents.conftest import report

OCCURRED_UTC = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.mark.parametrize(
    ("after", "lag", "late"),
    [
        (timedelta(minutes=59), 59, False),
        (timedelta(minutes=60), 60, False),  # exactly one hour is on time
        (timedelta(minutes=60, seconds=59), 60, False),  # whole minutes, rounded down
        (timedelta(minutes=61), 61, True),
        (timedelta(hours=26), 1560, True),
    ],
)
def test_the_one_hour_rule(alpha, after, lag, late):
    incident = report(alpha.unit("S11"), now=OCCURRED_UTC + after)
    assert incident.occurred_at == OCCURRED_UTC
    assert (incident.lag_minutes, incident.is_late) == (lag, late)
    assert db.session.scalar(select(func.count()).where(Incident.is_late)) == int(late)


def test_late_evening_reported_after_midnight(alpha):
    school = alpha.unit("S11")
    # 23:30 local on 5 March, reported at 00:20 and 00:45 local on 6 March (16:20 / 16:45 UTC on the 5th).
    on_time = report(school, occurred_at="2026-03-05T23:30", now=datetime(2026, 3, 5, 16, 20, tzinfo=UTC))
    late = report(school, occurred_at="2026-03-05 23:30", now=datetime(2026, 3, 5, 16, 45, tzinfo=UTC))
    assert on_time.occurred_at == datetime(2026, 3, 5, 15, 30, tzinfo=UTC)
    assert (on_time.lag_minutes, on_time.is_late) == (50, False)
    assert (late.lag_minutes, late.is_late) == (75, True)
    # The incident belongs to the local day it happened, not the day it was reported.
    assert incident_timeliness(school, date(2026, 3, 5), date(2026, 3, 5)).reported == 2
    assert incident_timeliness(school, date(2026, 3, 6), date(2026, 3, 6)).reported == 0


def test_local_input_is_read_in_the_tenants_time_zone(alpha):
    set_setting("timezone", "Asia/Urumqi")  # UTC+6
    incident = report(alpha.unit("S11"), now=datetime(2026, 3, 5, 5, 0, tzinfo=UTC))
    assert incident.occurred_at == datetime(2026, 3, 5, 4, 0, tzinfo=UTC)  # 10:00 in Urumqi
    assert (incident.lag_minutes, incident.is_late) == (60, False)
    # In Beijing's zone the same input would be 02:00 UTC and three hours late.
    set_setting("timezone", "Asia/Shanghai")
    assert report(alpha.unit("S11"), now=datetime(2026, 3, 5, 5, 0, tzinfo=UTC)).lag_minutes == 180
    # An explicit offset wins over the setting.
    explicit = report(
        alpha.unit("S11"), occurred_at="2026-03-05T10:00+06:00", now=datetime(2026, 3, 5, 5, 0, tzinfo=UTC)
    )
    assert explicit.lag_minutes == 60


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_at": ""}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-03-05T10:31"}, "occurred_at"),  # after the report (the future)
        ({"occurred_at": "1999-12-31T10:00"}, "occurred_at"),
        ({"kind": "earthquake"}, "kind"),
        ({"severity": "small"}, "severity"),
        ({"place": "  "}, "place"),
        ({"place": "地" * 201}, "place"),
        ({"summary": ""}, "summary"),
        ({"deaths": -1}, "deaths"),
        ({"serious_injuries": "two"}, "serious_injuries"),
        ({"minor_injuries": True}, "minor_injuries"),
        ({"measures": "措" * 4001}, "measures"),
    ],
)
def test_bad_first_reports_write_nothing(alpha, changes, field):
    with pytest.raises(IncidentError) as caught:
        report(alpha.unit("S11"), **changes)
    assert caught.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Incident)) == 0


def test_grade_groups_report_through_their_school(alpha):
    with pytest.raises(IncidentError) as caught:
        report(alpha.unit("D1-G1"))
    assert caught.value.field == "school_id"


def test_follow_ups_attach_to_their_incident_and_closing_ends_it(alpha):
    first = report(alpha.unit("S11"))
    other = report(alpha.unit("S11"), kind="fire", place="食堂")
    at = datetime(2026, 3, 5, 4, 0, tzinfo=UTC)
    follow = add_report(first, "follow_up", {"text": "伤者已送乡镇卫生院", "serious_injuries": "1"}, now=at)
    assert follow.incident_id == first.id and follow.org_unit_id == first.org_unit_id
    assert follow.changes == {"serious_injuries": {"before": 0, "after": 1}}
    assert first.is_serious and not other.is_serious
    assert [r.kind for r in first.reports] == ["first", "follow_up"] and [r.kind for r in other.reports] == [
        "first"
    ]

    closing = add_report(
        first, "closing", {"text": "已结案", "is_responsibility_accident": True}, now=at + timedelta(days=2)
    )
    assert (first.status, first.closed_at, first.is_responsibility_accident) == (
        "closed",
        closing.reported_at,
        True,
    )
    with pytest.raises(IncidentClosed):
        add_report(first, "follow_up", {"text": "再续报"})
    assert db.session.scalar(select(func.count()).select_from(IncidentReport)) == 4
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("incident.%"))).all()
    assert sorted(actions) == ["incident.close", "incident.follow_up", "incident.report", "incident.report"]


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("first", {"text": "x"}, "kind"),
        ("follow_up", {"text": " "}, "text"),
        ("follow_up", {"text": "x", "deaths": -2}, "deaths"),
        ("follow_up", {"text": "x", "severity": "huge"}, "severity"),
        ("closing", {"text": "字" * 4001}, "text"),
    ],
)
def test_bad_later_reports_change_nothing(alpha, kind, values, field):
    incident = report(alpha.unit("S11"))
    with pytest.raises(IncidentError) as caught:
        add_report(incident, kind, values)
    db.session.rollback()
    assert caught.value.field == field
    assert db.session.scalar(select(func.count()).select_from(IncidentReport)) == 0  # rolled back whole


def _late_flags() -> list[Flag]:
    return db.session.scalars(
        select(Flag).where(Flag.cleared_at.is_(None), Flag.kind == "incident_late")
    ).all()


def test_a_late_incident_is_flagged_until_it_is_closed(alpha):
    school = alpha.unit("S11")
    on_time = report(school)
    late = report(school, now=OCCURRED_UTC + timedelta(minutes=75), place="校门口")
    refresh_unit(school)
    [flag] = _late_flags()
    assert (flag.kind, flag.subject, flag.org_unit_id) == ("incident_late", f"incident:{late.id}", school.id)
    details = dict(flag.details)
    assert details.pop("title").endswith(" · 校门口")  # the kind in the tenant's language
    assert details == {
        "incident_id": late.id,
        "lag_minutes": 75,
        "occurred_at": "2026-03-05T02:00:00+00:00",
        "reported_at": "2026-03-05T03:15:00+00:00",
    }
    add_report(on_time, "closing", {"text": "结案"})
    add_report(late, "follow_up", {"text": "续报"})
    refresh_unit(school)
    assert _late_flags() == [flag]
    add_report(late, "closing", {"text": "结案"})
    refresh_unit(school)
    assert _late_flags() == [] and flag.cleared_at is not None


def test_timeliness_for_the_assessment(alpha):
    school = alpha.unit("S11")
    report(school)
    report(school, now=OCCURRED_UTC + timedelta(minutes=90))
    report(school, is_responsibility_accident=True, minor_injuries=0)
    report(school, is_responsibility_accident=True, deaths=1)
    report(school, occurred_at="2025-12-31T23:00", now=datetime(2025, 12, 31, 15, 30, tzinfo=UTC))
    report(alpha.unit("S12"))
    found = incident_timeliness(school, date(2026, 1, 1), date(2026, 12, 31))
    assert (found.reported, found.on_time, found.late) == (4, 3, 1)
    assert (found.responsibility_accidents, found.responsibility_with_casualties) == (2, 1)
    assert found.on_time_rate == 0.75
    assert incident_timeliness(school, date(2025, 1, 1), date(2025, 12, 31)).reported == 1
    assert incident_timeliness(alpha.unit("S21"), date(2026, 1, 1), date(2026, 12, 31)).on_time_rate is None


def test_live_incidents_are_open_ones_serious_first(alpha):
    s11, s21 = alpha.unit("S11"), alpha.unit("S21")
    older_serious = report(s11, occurred_at="2026-03-04T08:00", severity="larger")
    newest = report(s11, occurred_at="2026-03-05T10:00")
    closed = report(s11, occurred_at="2026-03-05T09:00")
    add_report(closed, "closing", {"text": "结案"})
    elsewhere = report(s21, occurred_at="2026-03-05T09:30", deaths=1)
    assert [i.id for i in live_incidents(alpha.unit("ALPHA"))] == [elsewhere.id, older_serious.id, newest.id]
    assert [i.id for i in live_incidents(alpha.unit("C1"))] == [older_serious.id, newest.id]
    assert live_incidents(s21, limit=5) == [elsewhere]
