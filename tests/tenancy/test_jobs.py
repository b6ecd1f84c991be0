"""The outbox never loses work: commit with the data, coalesce bursts, survive Redis outages and killed workers."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
from sqlalchemy import func, select

from bureau.scheduler import due_period, tick
from tenancy.extensions import db
from tenancy.jobs import JOBS, SCHEDULES, Schedule, job, reconcile, submit
from tenancy.models import OutboxItem, TenantSetting
from tenancy.scoping import tenant_context, unscoped
from tenancy.settings.store import set_setting

CALLS: list[tuple[int, int]] = []


@job("test.count")
def count_call(marker: int) -> None:
    """Record that the job ran, in the database (the effect) and in memory (the number of runs)."""
    CALLS.append((marker, os.getpid()))
    set_setting("report_due_day", marker)  # an idempotent effect: the same value every time


@pytest.fixture(autouse=True)
def fresh_calls():
    CALLS.clear()
    yield


def _due_day(app, tenant_id):
    with app.app_context(), tenant_context(tenant_id):
        return db.session.scalar(select(TenantSetting.value).where(TenantSetting.key == "report_due_day"))


def _unfinished(app) -> int:
    with app.app_context(), unscoped():
        return db.session.scalar(select(func.count()).where(OutboxItem.finished_at.is_(None)))


def test_work_commits_with_the_data_and_runs_once(app, world, run_jobs):
    with app.app_context(), tenant_context(world.alpha.id):
        submit("test.count", key="k", marker=7)
        db.session.commit()
    run_jobs()
    assert [marker for marker, _pid in CALLS] == [7]
    assert _due_day(app, world.alpha.id) == 7 and _unfinished(app) == 0


def test_rolled_back_work_never_runs(app, world, run_jobs):
    with app.app_context(), tenant_context(world.alpha.id):
        submit("test.count", key="k", marker=3)
        db.session.rollback()
    run_jobs()
    assert CALLS == [] and _unfinished(app) == 0


def test_a_burst_of_changes_becomes_one_run(app, world, run_jobs):
    with app.app_context(), tenant_context(world.alpha.id):
        for marker in range(10):
            submit("test.count", key="school-1", marker=marker)
            db.session.commit()
        submit("test.count", key="school-2", marker=99)
        db.session.commit()
    run_jobs()
    assert sorted(marker for marker, _pid in CALLS) == [9, 99]  # the latest arguments win
    assert _unfinished(app) == 0


def test_redis_down_loses_nothing(app, world, run_jobs):
    real_url = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with app.app_context(), tenant_context(world.alpha.id):
            for marker in (1, 2):
                submit("test.count", key=f"school-{marker}", marker=marker)
                db.session.commit()  # the change commits although dispatching fails
    finally:
        app.config["REDIS_URL"] = real_url
    assert _unfinished(app) == 2
    run_jobs()
    assert CALLS == []  # nothing reached the queue while Redis was down
    with app.app_context():
        assert reconcile(stale_after=timedelta(0)) == 2
    run_jobs()
    assert sorted(marker for marker, _pid in CALLS) == [1, 2] and _unfinished(app) == 0


def test_duplicate_dispatch_has_one_effect(app, world, run_jobs):
    with app.app_context(), tenant_context(world.alpha.id):
        submit("test.count", key="k", marker=5)
        db.session.commit()
    with app.app_context():
        assert reconcile(stale_after=timedelta(0)) == 0  # a run is already waiting
    run_jobs()
    with app.app_context():
        assert reconcile(stale_after=timedelta(0)) == 0  # nothing unfinished
    assert len(CALLS) == 1 and _due_day(app, world.alpha.id) == 5


def test_a_failing_job_keeps_its_work_and_a_later_run_finishes_it(app, world, run_jobs, monkeypatch):
    with app.app_context(), tenant_context(world.alpha.id):
        submit("test.count", key="k", marker=4)
        db.session.commit()
    real = JOBS["test.count"]

    def broken(marker):
        raise RuntimeError("database went away mid-job")

    monkeypatch.setitem(JOBS, "test.count", real.__class__(real.name, broken))
    run_jobs()
    with app.app_context(), unscoped():
        item = db.session.scalar(select(OutboxItem))
        assert item.finished_at is None and "went away" in item.last_error
    monkeypatch.setitem(JOBS, "test.count", real)
    with app.app_context():
        reconcile(stale_after=timedelta(0), dead_after=timedelta(0))
    run_jobs()
    assert _unfinished(app) == 0 and _due_day(app, world.alpha.id) == 4


@job("test.slow")
def slow_job(marker: int, seconds: float) -> None:
    """Write the effect, then take a while (long enough to be killed)."""
    set_setting("report_due_day", marker)
    db.session.flush()
    time.sleep(seconds)


def test_a_worker_killed_midjob_gives_the_same_final_state(
    app, world, run_jobs, database_url, redis_url, tmp_path
):
    if database_url.startswith("sqlite") and ":memory:" in database_url:
        pytest.skip("needs a database shared between processes")
    with app.app_context(), tenant_context(world.alpha.id):
        submit("test.slow", key="k", marker=12, seconds=30)
        db.session.commit()
    env = dict(
        os.environ,
        SAFEGRID_DATABASE_URL=database_url,
        SAFEGRID_REDIS_URL=redis_url,
        SAFEGRID_INSTANCE_PATH=str(tmp_path),
        PYTHONPATH=os.getcwd(),
    )
    # A real forking worker in its own process, with the test job registered.
    code = (
        "import tests.tenancy.test_jobs; from bureau.app import create_app; from bureau.worker import run_worker; "
        "run_worker(create_app(), burst=True)"
    )
    worker = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        with app.app_context(), unscoped():
            if db.session.scalar(select(OutboxItem.started_at)) is not None:
                break
        time.sleep(0.2)
    time.sleep(0.5)
    # Kill the work horse (RQ gives it its own process group) and the worker, mid-job.
    subprocess.run(["pkill", "-KILL", "-P", str(worker.pid)], check=False)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    assert _unfinished(app) == 1 and _due_day(app, world.alpha.id) is None  # the killed run committed nothing
    with app.app_context(), tenant_context(world.alpha.id):
        item = db.session.scalar(select(OutboxItem))
        item.args = {"marker": 12, "seconds": 0}  # the retry need not be slow
        db.session.commit()
    with app.app_context():
        assert reconcile(stale_after=timedelta(0), dead_after=timedelta(0)) == 1
    run_jobs()
    assert _unfinished(app) == 0 and _due_day(app, world.alpha.id) == 12


def test_schedules_tick_once_per_local_period(app, world):
    nightly = Schedule("test.nightly", "test.count", "day", at_hour=1, at_minute=30, args={"marker": 1})
    with patch.dict(SCHEDULES, {"test.nightly": nightly}, clear=True):  # only this test's schedule
        # 17:20 UTC is 01:20 next day in Shanghai: not yet due; 17:40 UTC is due.
        with app.app_context():
            assert tick(datetime(2026, 3, 1, 17, 20, tzinfo=UTC)) == 0
            assert tick(datetime(2026, 3, 1, 17, 40, tzinfo=UTC)) == 2  # alpha and beta
            assert tick(datetime(2026, 3, 1, 18, 40, tzinfo=UTC)) == 0  # the same local day
        with app.app_context(), unscoped():
            keys = set(db.session.scalars(select(OutboxItem.once_key)))
        assert keys == {"test.nightly:2026-03-02"}


def test_due_period_in_local_time():
    spec = Schedule("x", "test.count", "day", at_hour=1, at_minute=30)
    shanghai = datetime(2026, 3, 2, 1, 29)
    assert due_period(spec, shanghai) is None
    assert due_period(spec, shanghai.replace(minute=31)) == "2026-03-02"
    hourly = Schedule("y", "test.count", "hour", at_minute=5)
    assert due_period(hourly, datetime(2026, 3, 2, 10, 4)) is None
    assert due_period(hourly, datetime(2026, 3, 2, 10, 6)) == "2026-03-02T10"
