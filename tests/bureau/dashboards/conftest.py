"""Fixtures of the dashboard tests: a district with hazards of known dates and statuses, rolled up."""

import pytest

from tests.bureau.dashboards.helpers import seed_district


@pytest.fixture
def district(app, world):
    """The alpha/beta world with the hazards of helpers.seed_district, rollups rebuilt; yields the ids."""
    return seed_district(app, world)
