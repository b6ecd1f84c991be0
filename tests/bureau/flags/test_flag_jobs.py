"""Flags update without anyone running a command: a change submits the job, a real worker runs it."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rq import Worker
from sqlalchemy import delete, func, select

from bureau.flags.models import Flag
from bureau.flags.operations import refresh_unit
from bureau.scheduler import tick
from schools.grid import operations as grid
from schools.ledgers.importer import import_ledger_file
from tenancy.extensions import db
from tenancy.jobs import JOBS, SCHEDULES, redis_connection
from tenancy.models import OutboxItem
from tenancy.scoping import tenant_context, unscoped
from tenancy.settings.store import tenant_today
from tests.bureau.flags.helpers import flags_of, open_flags, overdue_hazard, release_delayed, unit

LEDGER = Path(__file__).resolve().parents[2] / "data" / "ledgers" / "河口镇中心小学2026年4月隐患排查台账.csv"


def _flag_state(app, world, subject: str) -> list[bool]:
    """Return, oldest first, whether each flag about `subject` is cleared."""
    with app.app_context(), tenant_context(world.alpha.id):
        return [flag.cleared_at is not None for flag in flags_of(subject)]


def _unfinished(app) -> int:
    with app.app_context(), unscoped():
        return db.session.scalar(select(func.count()).where(OutboxItem.finished_at.is_(None)))


def _overdue_hazard_with_flag(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        hazard_id = overdue_hazard().id
        db.session.commit()
    return hazard_id


def test_a_hazard_rectified_on_the_web_clears_its_flag_through_the_worker(app, web, world, run_flag_jobs):
    hazard_id = _overdue_hazard_with_flag(app, world)
    subject = f"hazard:{hazard_id}"
    assert _flag_state(app, world, subject) == []
    run_flag_jobs()  # reporting the hazard submitted the refresh: the worker raises the flag
    assert _flag_state(app, world, subject) == [False]

    web.login("school11", world.password)
    today = tenant_today_of(app, world)
    response = web.post(f"/hazards/{hazard_id}/steps", {"step": "rectify", "on": today})
    assert response.status_code == 302
    run_flag_jobs()
    assert _flag_state(app, world, subject) == [True]
    assert _unfinished(app) == 0
    print(
        f"\nchange committed → flag cleared, in-process worker, no coalescing wait: {_last_run_ms(app):.0f} ms"
    )


def _last_run_ms(app) -> float:
    """Milliseconds from the last change's commit (its outbox row) to the end of the job that handled it."""
    with app.app_context(), unscoped():
        item = db.session.scalar(
            select(OutboxItem)
            .where(OutboxItem.job == "flags.refresh_unit")
            .order_by(OutboxItem.id.desc())
            .limit(1)
        )
        return (item.finished_at - item.created_at).total_seconds() * 1000


def tenant_today_of(app, world) -> str:
    with app.app_context(), tenant_context(world.alpha.id):
        return tenant_today().isoformat()


def test_grid_and_ledger_writes_ask_for_a_refresh(app, world, run_flag_jobs):
    with app.app_context(), tenant_context(world.alpha.id):
        school = unit("S11")
        cell = grid.create_cell(
            school, name="锅炉房", kind="room", opened_on=tenant_today() - timedelta(days=5)
        )
        db.session.commit()
        cell_id = cell.id
    run_flag_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        assert open_flags("S11") == {("S11", "grid_blind_spot", f"cell:{cell_id}")}
        cell = db.session.get(type(cell), cell_id)
        grid.assign_first_owner(cell, grid.create_staff(unit("S11"), name="王五"), tenant_today())
        db.session.commit()
    run_flag_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        assert open_flags("S11") == set()
        before = db.session.scalar(select(func.count()).select_from(OutboxItem))
        _plan, record = import_ledger_file(LEDGER, unit("S11"))
        db.session.commit()
        keys = db.session.scalars(select(OutboxItem.key).where(OutboxItem.id > before)).all()
        assert keys == [f"flags:{unit('S11').id}"]  # one refresh per import, however many rows
    run_flag_jobs()
    with app.app_context(), tenant_context(world.alpha.id):
        assert len(open_flags("S11", "hazard_overdue")) > 0  # the imported April hazards still open


def test_a_burst_of_changes_to_one_school_is_one_refresh(app, world, run_jobs, monkeypatch):
    calls = []
    real = JOBS["flags.refresh_unit"]
    monkeypatch.setitem(
        JOBS,
        "flags.refresh_unit",
        real.__class__(
            real.name, lambda org_unit_id: calls.append(org_unit_id), real.queue, real.coalesce_seconds
        ),
    )
    with app.app_context(), tenant_context(world.alpha.id):
        for number in range(5):
            overdue_hazard(text=f"隐患{number}")
            db.session.commit()
    with app.app_context():
        connection = redis_connection()
        waiting = [key for key in connection.scan_iter("rq:scheduled:*")]
        assert waiting, "a coalescing job waits in RQ's scheduled registry"
    assert release_delayed(app) == 1
    run_jobs()
    assert calls == [world.alpha_orgs["S11"]] and _unfinished(app) == 0


def test_the_schedules_refresh_every_tenant_in_local_time(app, world, run_jobs):
    assert {"flags-nightly", "flags-hourly", "inbox-digest"} <= set(SCHEDULES)
    with app.app_context(), tenant_context(world.alpha.id):
        hazard_id = overdue_hazard().id
        db.session.commit()
    with app.app_context(), unscoped():
        db.session.execute(delete(OutboxItem))  # forget the change's own refresh: the schedule must do it
        db.session.commit()
    with app.app_context():
        assert tick(datetime(2026, 3, 1, 16, 35, tzinfo=UTC)) > 0  # 00:35 in Shanghai: nightly and hourly
    run_jobs()
    assert _flag_state(app, world, f"hazard:{hazard_id}") == [False]


def test_a_forking_worker_clears_the_flag_within_seconds(app, web, world, database_url, redis_url, tmp_path):
    """The whole path with the production worker (forking, with RQ's scheduler) in its own process."""
    if database_url.startswith("sqlite") and ":memory:" in database_url:
        pytest.skip("needs a database shared between processes")
    hazard_id = _overdue_hazard_with_flag(app, world)
    with app.app_context(), tenant_context(world.alpha.id):
        refresh_unit(unit("S11"))
        db.session.commit()
    env = dict(
        os.environ,
        SAFEGRID_DATABASE_URL=database_url,
        SAFEGRID_REDIS_URL=redis_url,
        SAFEGRID_INSTANCE_PATH=str(tmp_path),
        PYTHONPATH=os.getcwd(),
    )
    code = "from bureau.app import create_app; from bureau.worker import run_worker; run_worker(create_app())"
    worker = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    try:
        with app.app_context():
            connection = redis_connection()
            deadline = time.time() + 30
            while not Worker.all(connection=connection) and time.time() < deadline:
                time.sleep(0.1)
        deadline = time.time() + 30
        while _unfinished(app) and time.time() < deadline:
            time.sleep(0.1)  # the refresh asked for by reporting the hazard runs first
        web.login("school11", world.password)
        today = tenant_today_of(app, world)
        started = time.perf_counter()
        web.post(f"/hazards/{hazard_id}/steps", {"step": "rectify", "on": today})
        cleared = None
        while time.perf_counter() - started < 30:
            if _flag_state(app, world, f"hazard:{hazard_id}") == [True]:
                cleared = time.perf_counter() - started
                break
            time.sleep(0.05)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=5)
    assert cleared is not None, "the worker did not clear the flag within 30 s"
    print(
        f"\nPOST → flag cleared, forking worker with scheduler: {cleared * 1000:.0f} ms "
        f"(commit → job done {_last_run_ms(app):.0f} ms; RQ counts the 2 s coalescing delay in whole seconds)"
    )
    assert 1 <= cleared < 10  # the coalescing delay, RQ's scheduler (1 s ticks), one forked job
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 1
