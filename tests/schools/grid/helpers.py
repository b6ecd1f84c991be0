"""Helpers shared by the campus-grid tests."""

from datetime import date

from sqlalchemy import func, select

from schools.grid import operations
from tenancy.extensions import db
from tenancy.models import AuditEvent


def make_cell(school, name="教学楼", kind="building", opened_on=date(2024, 9, 1), **values):
    """Add a cell opened on 2024-09-01 (so tests can use dates from then on)."""
    return operations.create_cell(school, name=name, kind=kind, opened_on=opened_on, **values)


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def login_in_english(web, username: str, password: str):
    """Log in and switch the interface to English, so messages can be matched in tests."""
    assert web.login(username, password).status_code == 302
    assert web.post("/language", {"locale": "en"}).status_code == 302
    return web
