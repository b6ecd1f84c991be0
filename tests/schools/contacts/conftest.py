"""Fixtures of the contact tests (shared with the incident tests)."""

from tests.schools.incidents.conftest import alpha  # noqa: F401
