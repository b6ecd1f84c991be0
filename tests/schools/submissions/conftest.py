"""Fixtures of the monthly-report tests: alpha's tenant context and hand-made hazards."""

from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from schools.hazards.models import Hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context


@pytest.fixture
def alpha(app, world):
    """Run the test inside alpha's tenant context (messages in English); yield unit and user lookups."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        yield SimpleNamespace(
            unit=lambda code: db.session.get(OrgUnit, world.alpha_orgs[code]),
            user=lambda name: db.session.get(User, world.alpha_users[name]),
        )
        db.session.rollback()


def add_hazard(school: OrgUnit, found_on, **values) -> Hazard:
    """Record a hazard straight into the ledger with exactly the given facts (no lifecycle rules)."""
    values = {
        "category": "fire",
        "level": "general",
        "source": "daily",
        "status": "open",
        "location": "教学楼",
        "description": "测试隐患",
    } | values
    hazard = Hazard(tenant_id=school.tenant_id, org_unit_id=school.id, found_on=found_on, **values)
    db.session.add(hazard)
    db.session.flush()
    return hazard


@pytest.fixture
def hazard():
    return add_hazard
