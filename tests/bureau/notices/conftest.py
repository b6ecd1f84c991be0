"""Helpers for the notice tests: units, users and hazards of the alpha world, inside its tenant."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PDF = b"%PDF-1.4\n" + b"0" * 100
FAKE_PHOTO = b"MZ\x90\x00 this is a program, not a photo"


class Alpha:
    """Shortcuts into the alpha tenant (call inside its app and tenant context)."""

    def __init__(self, world) -> None:
        self.world = world

    def unit(self, code: str) -> OrgUnit:
        return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))

    def user(self, name: str) -> User:
        return db.session.get(User, self.world.alpha_users[name])

    def hazard(self, code: str = "S11", description: str = "灭火器压力不足", **changes):
        values = {
            "found_on": date(2026, 1, 5),
            "location": "教学楼一楼",
            "category": "fire",
            "description": description,
        } | changes
        return report_hazard(self.unit(code), HazardInput(**values))

    @staticmethod
    def deadline(days: int = 10) -> date:
        return tenant_today() + timedelta(days=days)


@pytest.fixture
def alpha(app, world):
    """Run the test inside the alpha tenant; yields the shortcuts."""
    with app.app_context(), tenant_context(world.alpha.id):
        yield Alpha(world)
