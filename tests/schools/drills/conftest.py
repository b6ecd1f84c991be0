"""Fixtures of the drill tests: alpha's tenant context, drills straight into the table, old schools."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from schools.drills.models import Drill
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context

# Semesters as the default setting has them, passed explicitly to the pure rules.
DEFAULT_SEMESTERS = {
    "spring_start": "03-01",
    "spring_end": "07-10",
    "autumn_start": "09-01",
    "autumn_end": "01-20",
}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


@pytest.fixture
def alpha(app, world):
    """Run the test inside alpha's tenant context (messages in English); yield unit and user lookups."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        yield SimpleNamespace(
            unit=lambda code: db.session.get(OrgUnit, world.alpha_orgs[code]),
            user=lambda name: db.session.get(User, world.alpha_users[name]),
        )
        db.session.rollback()


def add_drill(school: OrgUnit, held_on: date, kind: str = "fire", **values) -> Drill:
    """Put a drill straight into the table (no rules), as if recorded long ago."""
    values = {"participants": 300, "duration_minutes": 15, "problems": "无"} | values
    drill = Drill(tenant_id=school.tenant_id, org_unit_id=school.id, held_on=held_on, kind=kind, **values)
    db.session.add(drill)
    db.session.flush()
    return drill


def open_since(app, world, codes=("S11", "S12", "S21", "D1", "D1-G1"), days: int = 1000) -> None:
    """Date the units' creation back, so they owe drills for past periods."""
    with app.app_context(), tenant_context(world.alpha.id):
        for code in codes:
            db.session.get(OrgUnit, world.alpha_orgs[code]).created_at = datetime.now(UTC) - timedelta(
                days=days
            )
        db.session.commit()


@pytest.fixture
def old_schools(app, world):
    open_since(app, world)
