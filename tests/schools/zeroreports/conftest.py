"""Fixtures of the zero-report tests: alpha's tenant context, local times, long-standing schools."""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from schools.zeroreports import operations
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context

SHANGHAI = ZoneInfo("Asia/Shanghai")
ITEMS = ["因病缺课人数", "发热人数"]


def local(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """An instant given as the tenant's local wall-clock time (Asia/Shanghai by default)."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=SHANGHAI)


def make_window(day: date, *, targets=None, ends_on=None, deadline=time(16, 0), title="秋冬季传染病防控日报"):
    """Open a window starting on `day`, switched on at 08:00 that morning."""
    return operations.open_window(
        title=title,
        starts_on=day,
        ends_on=ends_on,
        deadline=deadline,
        items=ITEMS,
        target_units=targets,
        now=local(day, 8),
    )


@pytest.fixture
def alpha(app, world):
    """Run the test inside alpha's tenant context (English messages), with every unit created in 2020."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        db.session.execute(
            update(OrgUnit)
            .values(created_at=datetime(2020, 1, 1, tzinfo=UTC))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        yield SimpleNamespace(
            unit=lambda code: db.session.get(OrgUnit, world.alpha_orgs[code]),
            user=lambda name: db.session.get(User, world.alpha_users[name]),
        )
        db.session.rollback()
