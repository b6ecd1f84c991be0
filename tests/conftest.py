"""Shared fixtures are plugins in tests/fixtures/."""

pytest_plugins = ["tests.fixtures.app", "tests.fixtures.world", "tests.fixtures.jobs"]
