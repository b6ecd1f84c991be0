"""Failed jobs: a job that fails for good shows on the operator's page; Retry runs it again, Discard deletes it."""

import pytest
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy import select

from tenancy.extensions import db
from tenancy.jobs import job, queue, redis_connection, submit
from tenancy.models import OutboxItem
from tenancy.scoping import tenant_context, unscoped

BROKEN = {"now": True}


@job("test.ops.flaky")
def flaky(ledger: str) -> None:
    """Fail while BROKEN says so."""
    if BROKEN["now"]:
        raise RuntimeError(f"the ledger {ledger} is gone")


@pytest.fixture
def operator(web, world):
    assert web.login("root", world.password, path="/platform/login").status_code == 302
    assert web.post("/language", {"locale": "en"}).status_code == 302
    return web


def _fail(app, world, run_jobs, ledger: str) -> str:
    """Run a real job with a real worker until it has failed for good (first run and every retry)."""
    BROKEN["now"] = True
    with app.app_context(), tenant_context(world.alpha.id):
        submit("test.ops.flaky", key=ledger, ledger=ledger)
        db.session.commit()
    before = set(_failed(app))
    run_jobs()
    [job_id] = set(_failed(app)) - before
    return job_id


def _failed(app) -> list[str]:
    with app.app_context():
        return FailedJobRegistry(queue=queue("default", redis_connection())).get_job_ids()


def _waiting(app) -> list[str]:
    with app.app_context():
        return queue("default", redis_connection()).job_ids


def test_a_failed_job_is_listed_with_its_error_and_traceback(app, world, run_jobs, operator):
    job_id = _fail(app, world, run_jobs, "L-1")
    page = operator.get("/platform/jobs/failed")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    row = body[body.index(f'id="job-{job_id}"') :].split("</tr>")[0]
    assert "test.ops.flaky" in row and "default" in row
    assert f'alpha <span class="muted">#{world.alpha.id}</span>' in row
    assert "RuntimeError: the ledger L-1 is gone" in row
    detail = operator.get(f"/platform/jobs/failed/{job_id}").get_data(as_text=True)
    assert "Traceback (most recent call last)" in detail and "in flaky" in detail
    assert "tenancy.jobs.run_outbox" in detail and "&#39;L-1&#39;" in detail
    assert operator.get("/platform/jobs/failed/sg-no-such-job").status_code == 404


def test_retry_puts_it_back_and_a_worker_runs_it(app, world, run_jobs, operator):
    job_id = _fail(app, world, run_jobs, "L-2")
    response = operator.post(f"/platform/jobs/failed/{job_id}/retry")
    assert response.status_code == 302
    assert _failed(app) == [] and _waiting(app) == [job_id]
    BROKEN["now"] = False  # the cause was fixed
    run_jobs()
    assert _failed(app) == [] and _waiting(app) == []
    with app.app_context(), unscoped():
        assert db.session.scalars(select(OutboxItem.finished_at)).one() is not None
    assert "is back on the default queue" in operator.get("/platform/jobs/failed").get_data(as_text=True)


def test_discard_deletes_it(app, world, run_jobs, operator):
    kept, discarded = _fail(app, world, run_jobs, "L-3"), _fail(app, world, run_jobs, "L-4")
    assert operator.post(f"/platform/jobs/failed/{discarded}/discard").status_code == 302
    assert _failed(app) == [kept] and _waiting(app) == []
    with app.app_context(), pytest.raises(NoSuchJobError):
        Job.fetch(discarded, connection=redis_connection(), serializer=JSONSerializer)
    assert operator.post(f"/platform/jobs/failed/{discarded}/discard").status_code == 404


def test_only_the_operator_sees_failed_jobs(app, world, run_jobs, web):
    job_id = _fail(app, world, run_jobs, "L-5")
    assert web.login("admin", world.password).status_code == 302
    assert web.get("/platform/jobs/failed").status_code == 403
    assert web.post(f"/platform/jobs/failed/{job_id}/retry").status_code == 403
    assert _failed(app) == [job_id]


def test_redis_down_says_so(app, world, operator):
    real = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = operator.get("/platform/jobs/failed")
    finally:
        app.config["REDIS_URL"] = real
    assert response.status_code == 503 and "Redis is not reachable" in response.get_data(as_text=True)
