"""Fixtures of the incident tests: alpha's tenant context, logged-in clients, a reporting helper."""

from datetime import UTC, datetime

from schools.incidents.operations import report_incident
from tests.schools.submissions.conftest import alpha  # noqa: F401  (the shared tenant-context fixture)

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def incident_values(**changes) -> dict:
    """A minor injury at 10:00 local time on 5 March 2026, with the given changes."""
    return {
        "occurred_at": "2026-03-05T10:00",
        "kind": "injury",
        "severity": "general",
        "place": "操场",
        "summary": "学生课间跑动时摔倒，膝盖擦伤",
        "minor_injuries": 1,
    } | changes


def report(school, now=datetime(2026, 3, 5, 2, 30, tzinfo=UTC), user=None, **changes):
    """Report an incident at `school` as if the platform's clock read `now` (default: 30 min lag)."""
    return report_incident(school, incident_values(**changes), user, now=now)
