"""Fixtures of the browser tests (tests/browser/stack.py): the demo server and a Chromium page."""

from tests.browser.stack import demo_server, page  # noqa: F401
