"""Behind nginx (SAFEGRID_PROXY_HOPS=1) the app sees the client's address and scheme, not the proxy's."""

import pytest
from flask import request

from bureau.app import create_app
from tenancy.config import TestConfig


@pytest.mark.parametrize(
    ("hops", "address", "scheme"), [(0, "127.0.0.1", "http"), (1, "203.0.113.7", "https")]
)
def test_forwarded_headers_are_trusted_only_with_hops(tmp_path, hops, address, scheme):
    config = TestConfig("sqlite://", None, tmp_path)
    config.PROXY_HOPS = hops
    app = create_app(config)
    app.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.scheme}")
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https"}
    seen = app.test_client().get("/_seen", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    # One hop trusts only the address nginx appended (the last one), never what the client wrote before it.
    assert seen.get_data(as_text=True) == f"{address} {scheme}"
