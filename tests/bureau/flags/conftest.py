"""Fixtures of the flags tests: alpha's tenant context, and running the jobs that changes submit."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from schools.duty.models import DutyDay
from schools.units import keeps_records
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.bureau.flags.helpers import release_delayed


@pytest.fixture
def alpha(app, world):
    """Run the test inside alpha's tenant context (messages in English); yield the world."""
    with app.app_context(), tenant_context(world.alpha.id), force_locale("en"):
        yield world
        db.session.rollback()


@pytest.fixture
def run_flag_jobs(app, run_jobs):
    """Run every job that is queued or waiting out its coalescing delay, as a worker would."""

    def run() -> None:
        release_delayed(app)
        run_jobs()

    return run


@pytest.fixture(autouse=True)
def rosters_kept(app, world):
    """Every school of the world keeps its duty roster (two months around today).

    These tests are about the other rules; a school without a roster would also have a
    duty_gap flag for each of the next days (tests/schools/duty tests that rule).
    """
    for tenant in (world.alpha, world.beta):
        with app.app_context(), tenant_context(tenant.id):
            today = tenant_today()
            schools = [unit for unit in db.session.scalars(select(OrgUnit)) if keeps_records(unit)]
            db.session.add_all(
                DutyDay(
                    org_unit_id=school.id,
                    day=today + timedelta(days=offset),
                    duty_person="值班员",
                    leader="值班领导",
                )
                for school in schools
                if school.kind != "grade_group"
                for offset in range(-40, 61)
            )
            db.session.commit()
