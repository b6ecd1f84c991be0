"""Structured logs: records name the request, tenant and user (or the job), as text or JSON lines."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from tenancy.extensions import db
from tenancy.jobs import job, submit
from tenancy.ops.logs import ContextFilter, forget_tenant_codes, make_handler
from tenancy.scoping import tenant_context

log = logging.getLogger("tests.ops.logs")


@job("test.ops.say")
def say(words: str) -> None:
    """A job that logs."""
    log.info("job says %s", words)


@pytest.fixture
def captured():
    """Return (records, json_lines, text_lines) of what tests.ops.logs writes during the test."""
    records, json_stream, text_stream = [], io.StringIO(), io.StringIO()

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    keep = Keep()
    keep.addFilter(ContextFilter())
    handlers = [keep, make_handler("json", json_stream), make_handler("text", text_stream)]
    for handler in handlers:
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    yield records, lambda: [json.loads(line) for line in json_stream.getvalue().splitlines()], text_stream
    for handler in handlers:
        log.removeHandler(handler)


@pytest.fixture
def logging_view(app, monkeypatch):
    """Make the home page log a line (and, with ?boom, an exception) before it runs."""
    original = app.view_functions["home.index"]

    def logged(*args, **kwargs):
        log.info("home page, %s", "第一")
        try:
            raise ZeroDivisionError("boom")
        except ZeroDivisionError:
            log.exception("it failed")
        return original(*args, **kwargs)

    monkeypatch.setitem(app.view_functions, "home.index", logged)


def test_request_records_carry_request_tenant_and_user(app, world, login, captured, logging_view):
    records, json_lines, text = captured
    client = login("school11")
    forget_tenant_codes()  # tenant ids are reused between tests: read the codes again
    assert client.get("/", headers={"X-Request-Id": "req-ops-1"}).status_code == 200
    school11 = world.alpha_users["school11"]
    for record in records:
        assert (record.request_id, record.tenant, record.tenant_id) == ("req-ops-1", "alpha", world.alpha.id)
        assert (record.user, record.user_id, record.job) == ("school11", school11, None)
    first, failure = json_lines()
    assert first["message"] == "home page, 第一" and first["level"] == "INFO"
    assert first["logger"] == "tests.ops.logs" and first["time"].endswith("+00:00")
    assert {key: first[key] for key in ("request_id", "tenant", "tenant_id", "user", "user_id")} == {
        "request_id": "req-ops-1",
        "tenant": "alpha",
        "tenant_id": world.alpha.id,
        "user": "school11",
        "user_id": school11,
    }
    assert "exc_info" not in first
    assert failure["exc_info"].startswith("Traceback") and "ZeroDivisionError" in failure["exc_info"]
    line = text.getvalue().splitlines()[0]
    assert line.endswith(
        f"INFO tests.ops.logs [req=req-ops-1 tenant=alpha#{world.alpha.id} user=school11#{school11}]: home page, 第一"
    )


def test_operator_and_anonymous_requests(app, world, web, captured, logging_view):
    records, _json_lines, _text = captured
    web.get("/", headers={"X-Request-Id": "anon-1"})
    assert (records[-1].request_id, records[-1].user, records[-1].tenant_id) == ("anon-1", None, None)
    assert web.login("root", world.password, path="/platform/login").status_code == 302
    web.get("/")
    assert records[-1].user == "operator:root" and records[-1].tenant_id is None
    assert len(records[-1].request_id) == 32  # assigned when the client sends none


def test_job_records_carry_job_and_tenant(app, world, run_jobs, captured):
    records, json_lines, text = captured
    with app.app_context(), tenant_context(world.alpha.id):
        submit("test.ops.say", key="k", words="hello")
        db.session.commit()
    run_jobs()
    [record] = [record for record in records if record.getMessage() == "job says hello"]
    assert (record.job, record.tenant_id, record.request_id) == ("test.ops.say", world.alpha.id, None)
    assert record.job_id.startswith("sg-")
    assert json_lines()[-1]["job"] == "test.ops.say"
    assert f"[job=test.ops.say#{record.job_id} tenant=" in text.getvalue()


def test_records_outside_any_context_have_no_ids(captured):
    records, json_lines, text = captured
    log.warning("plain")
    assert records[0].request_id is None and records[0].tenant_id is None
    assert json_lines()[0]["request_id"] is None
    assert text.getvalue().rstrip().endswith("WARNING tests.ops.logs: plain")


def test_a_production_app_writes_json_lines_to_stderr(tmp_path):
    """SAFEGRID_LOG_FORMAT=json in a real process: create_app configures the root logger."""
    env = dict(
        os.environ,
        SAFEGRID_INSTANCE_PATH=str(tmp_path),
        SAFEGRID_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
        SAFEGRID_SECRET_KEY="x" * 32,
        SAFEGRID_LOG_FORMAT="json",
    )
    env.pop("SAFEGRID_REDIS_URL", None)
    script = (
        "import logging; from bureau.app import create_app; app = create_app(); "
        "request = app.test_request_context('/', headers={'X-Request-Id': 'sub-1'}); request.push(); "
        "app.preprocess_request(); logging.getLogger('x').warning('ready %s', 1)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["message"], line["level"], line["request_id"]) == ("ready 1", "WARNING", "sub-1")

    env["SAFEGRID_LOG_FORMAT"] = "yaml"
    refused = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0 and "SAFEGRID_LOG_FORMAT must be one of text, json" in refused.stderr
