"""Fixtures of the duty roster tests: the same as the letter tests' (alpha's context, English clients)."""

from tests.schools.letters.conftest import alpha  # noqa: F401  (fixtures)
