"""Fixtures of the campus-grid tests: the alpha world's school S11 in a tenant context."""

from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from schools.grid import operations
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context


@pytest.fixture
def s11(app, world):
    """Run the test inside alpha's tenant context (messages in English); yield school S11."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        yield db.session.get(OrgUnit, world.alpha_orgs["S11"])
        db.session.rollback()


@pytest.fixture
def people(s11, world):
    """Three staff at S11 (张三 is keeper11's login) and one at S21."""
    keeper = db.session.get(User, world.alpha_users["keeper11"])
    s21 = db.session.get(OrgUnit, world.alpha_orgs["S21"])
    found = SimpleNamespace(
        zhang=operations.create_staff(s11, name="张三", phone="13800000001", position="班主任", user=keeper),
        li=operations.create_staff(s11, name="李四", phone="13800000002", position="保安"),
        wang=operations.create_staff(s11, name="王五", phone="13800000003", position="食堂管理员"),
        elsewhere=operations.create_staff(s21, name="赵六", phone="13800000004"),
    )
    db.session.commit()
    return found
