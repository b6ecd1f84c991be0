"""Fixtures of the flags tests: alpha's tenant context, and running the jobs that changes submit."""

import pytest
from flask_babel import force_locale

from tenancy.extensions import db
from tenancy.scoping import tenant_context
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
