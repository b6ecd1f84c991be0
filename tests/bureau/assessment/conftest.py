"""Fixtures of the assessment tests: alpha's tenant context, and units that existed before last year."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context


@pytest.fixture
def alpha(app, world):
    """Run the test inside alpha's tenant context (messages in English); yield the world."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        yield world
        db.session.rollback()


@pytest.fixture
def last_year() -> int:
    """The last full year (the year before the tenant's current one): its whole year is over."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).year - 1


@pytest.fixture
def established(alpha, last_year):
    """Every alpha unit was put on the platform on 1 June the year before `last_year` (owes a whole year)."""
    db.session.execute(
        update(OrgUnit)
        .values(created_at=datetime(last_year - 1, 6, 1, tzinfo=UTC))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return alpha
