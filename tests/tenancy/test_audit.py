"""The audit trail is append-only and names who, when, from where and what."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.models.audit import AuditTrailIsAppendOnly
from tenancy.scoping import tenant_context


def test_events_cannot_be_changed_or_deleted(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        event = db.session.scalar(select(AuditEvent))
        event.action = "forged"
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(AuditEvent)))
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.flush()
        db.session.rollback()


def test_postgresql_refuses_raw_sql_rewrites(app, world):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the database trigger exists on PostgreSQL only")
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("UPDATE audit_events SET action = 'forged'"))
        db.session.rollback()


def test_login_event_records_who_and_from_where(app, web, world):
    web.http.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    web.http.get("/login", headers={"X-Request-Id": "req-42"})
    web.login("reviewer1", world.password)
    with app.app_context(), tenant_context(world.alpha.id):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
        assert event.actor == "reviewer1" and event.roles == "central_reviewer@C1"
        assert event.ip == "10.1.2.3" and event.at.tzinfo is not None and event.request_id
