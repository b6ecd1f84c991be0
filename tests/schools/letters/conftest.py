"""Fixtures of the letter tests: alpha's tenant context, English messages, logged-in clients."""

from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context
from tests.fixtures.app import WebClient


@pytest.fixture
def alpha(app, world):
    """Run the test inside alpha's tenant context (messages in English); yield unit and user lookups."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        yield SimpleNamespace(
            unit=lambda code: db.session.scalar(select(OrgUnit).where(OrgUnit.code == code)),
            user=lambda name: db.session.get(User, world.alpha_users[name]),
        )
        db.session.rollback()


@pytest.fixture
def login(app, world):
    """Return a client logged in as an alpha user, with the interface in English."""

    def make(username: str) -> WebClient:
        client = WebClient(app)
        assert client.login(username, world.password).status_code == 302
        assert client.post("/language", {"locale": "en"}).status_code == 302
        return client

    return make
