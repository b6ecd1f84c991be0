"""Fixtures of the letter tests: alpha's tenant context, English messages, logged-in clients."""

from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context


@pytest.fixture
def alpha(app, world):
    """Run the test inside alpha's tenant context (messages in English); yield unit and user lookups."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        yield SimpleNamespace(
            unit=lambda code: db.session.scalar(select(OrgUnit).where(OrgUnit.code == code)),
            user=lambda name: db.session.get(User, world.alpha_users[name]),
        )
        db.session.rollback()
