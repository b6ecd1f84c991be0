"""Jobs that never lose work: the outbox, the queue registry, the job decorator, the schedules.

How work flows:
1. A change calls `submit(job, key=..., **args)`: an outbox row is written in the same
   transaction as the change, so work and data commit (or roll back) together.
2. After the commit the row's (tenant, job, key) is enqueued to RQ under a job id made of
   them; while that RQ job waits, further rows with the same key add nothing to the queue,
   so a burst of changes to one school becomes one run (coalescing).
3. The RQ job `run_outbox` runs the registered function once for every unfinished row of its
   key and marks them finished; rows that arrive while it runs get another run.
4. If Redis is down at commit time nothing is lost: `reconcile()` (at worker start and every
   minute from the scheduler) enqueues every key whose rows are still unfinished.
Jobs are idempotent recomputes, so running one twice (a retry after a crash, a duplicate
dispatch) gives the same result. Arguments are ids and plain values (JSON, never pickle).
"""

import logging
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from tenancy.extensions import db
from tenancy.models import OutboxItem, utcnow
from tenancy.scoping import current_tenant_id, tenant_context, unscoped

log = logging.getLogger(__name__)

# Every queue SafeGrid uses, most urgent first (workers listen in this order).
QUEUES = ("default", "rollups")
RETRY = Retry(max=3, interval=[5, 30, 120])
STALE_AFTER = timedelta(seconds=30)
DEAD_AFTER = timedelta(seconds=120)  # RQ beats every 30 s or so while a job runs


@dataclass(frozen=True)
class JobSpec:
    name: str
    function: Callable[..., None]
    queue: str = "default"
    coalesce_seconds: int = 0  # wait this long before running, to gather a burst of changes


@dataclass(frozen=True)
class Schedule:
    """A periodic job per tenant, due once per period at a local time of day (tenant's zone)."""

    id: str
    job: str
    every: str  # "day" or "hour"
    at_minute: int = 0
    at_hour: int = 0
    args: dict = field(default_factory=dict)


JOBS: dict[str, JobSpec] = {}
SCHEDULES: dict[str, Schedule] = {}
_worker_app: Flask | None = None


def job(name: str, *, queue: str = "default", coalesce_seconds: int = 0):
    """Register a function as the job `name`; it runs in an app and tenant context."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")

    def register(function: Callable[..., None]) -> Callable[..., None]:
        if name in JOBS and JOBS[name].function is not function:
            raise ValueError(f"job {name!r} is registered twice")
        JOBS[name] = JobSpec(name, function, queue, coalesce_seconds)
        return function

    return register


def schedule(spec: Schedule) -> Schedule:
    """Register a periodic job (ids are deterministic, so registering twice is harmless)."""
    SCHEDULES[spec.id] = spec
    return spec


def redis_connection(url: str | None = None) -> Redis:
    """Connect to SAFEGRID_REDIS_URL (redis://, rediss:// or unix://)."""
    url = url or current_app.config["REDIS_URL"]
    if not url:
        raise RuntimeError("SAFEGRID_REDIS_URL is not set and no embedded Redis was started")
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def queue(name: str = "default", connection: Redis | None = None) -> Queue:
    """Return a registered queue."""
    if name not in QUEUES:
        raise KeyError(f"unknown queue {name!r}")
    return Queue(name, connection=connection or redis_connection(), serializer=JSONSerializer)


def submit(
    name: str, *, key: str, once_key: str | None = None, tenant_id: int | None = None, **args
) -> OutboxItem:
    """Record work for job `name` in the current transaction; it is dispatched after commit."""
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    item = OutboxItem(
        tenant_id=tenant_id or current_tenant_id(), job=name, key=key, args=args, once_key=once_key
    )
    db.session.add(item)
    db.session.info.setdefault("outbox_keys", set()).add((item.tenant_id, name, key))
    return item


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    keys = session.info.pop("outbox_keys", None)
    if keys and has_app_context() and current_app.config.get("REDIS_URL"):
        dispatch(keys)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox_keys", None)


def waiting_flag(tenant_id: int, name: str, key: str) -> str:
    """The Redis key that holds the id of the run waiting for (tenant, job, key), if any."""
    return f"safegrid:waiting:{tenant_id}:{name}:{key}"


LIVE = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED)
FLAG_SECONDS = 3600


def dispatch(
    keys, connection: Redis | None = None, *, recheck: bool = False, dead_after: timedelta | None = None
) -> int:
    """Enqueue a run for each (tenant, job, key) that has none waiting; return how many were enqueued.

    With `recheck` (the reconciler), a waiting flag whose run is no longer alive in RQ (lost
    with a crashed worker, failed for good) is replaced. A Redis failure is logged, not
    raised: the outbox rows stay and the reconciler tries again.
    """
    enqueued = 0
    try:
        connection = connection or redis_connection()
        for tenant_id, name, key in keys:
            spec, flag = JOBS[name], waiting_flag(tenant_id, name, key)
            job_id = f"sg-{uuid.uuid4().hex}"
            if not connection.set(flag, job_id, nx=True, ex=FLAG_SECONDS):
                if not recheck or _alive(connection.get(flag), connection, dead_after or DEAD_AFTER):
                    continue  # coalesced into the run that is already waiting
                connection.set(flag, job_id, ex=FLAG_SECONDS)
            target = queue(spec.queue, connection)
            options = dict(job_id=job_id, retry=RETRY, result_ttl=600, failure_ttl=86400)
            arguments = (tenant_id, name, key)
            if spec.coalesce_seconds:
                target.enqueue_in(timedelta(seconds=spec.coalesce_seconds), run_outbox, *arguments, **options)
            else:
                target.enqueue(run_outbox, *arguments, **options)
            enqueued += 1
    except RedisError as error:
        log.warning("Redis unavailable, %d outbox key(s) wait for the reconciler: %s", len(keys), error)
    return enqueued


def _alive(job_id: bytes | None, connection: Redis, dead_after: timedelta) -> bool:
    if job_id is None:
        return False
    try:
        job = Job.fetch(job_id.decode(), connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        return False
    status = job.get_status(refresh=False)
    if status == JobStatus.STARTED:
        beat = job.last_heartbeat or job.started_at
        return beat is not None and utcnow() - beat.replace(tzinfo=UTC) < dead_after
    return status in LIVE


def reconcile(stale_after: timedelta = STALE_AFTER, dead_after: timedelta = DEAD_AFTER) -> int:
    """Enqueue every key whose outbox rows are unfinished and older than `stale_after`.

    A run counts as dead when it is not waiting or running, or when it has been "running"
    with no heartbeat for `dead_after` (its worker was killed).
    """
    cutoff = utcnow() - stale_after
    with unscoped():
        keys = db.session.execute(
            select(OutboxItem.tenant_id, OutboxItem.job, OutboxItem.key)
            .where(OutboxItem.finished_at.is_(None), OutboxItem.created_at <= cutoff)
            .distinct()
        ).all()
    db.session.rollback()  # end the read transaction; dispatch talks to Redis only
    keys = [tuple(row) for row in keys if row.job in JOBS]
    return dispatch(keys, recheck=True, dead_after=dead_after) if keys else 0


def set_worker_app(app: Flask) -> None:
    """Give jobs the app they run in (called once when a worker starts)."""
    global _worker_app
    _worker_app = app


def run_outbox(tenant_id: int, name: str, key: str) -> int:
    """The RQ entry point: run job `name` for every unfinished outbox row of (tenant, key)."""
    if _worker_app is not None and not has_app_context():
        with _worker_app.app_context():
            return _run_outbox(tenant_id, name, key)
    return _run_outbox(tenant_id, name, key)


def _run_outbox(tenant_id: int, name: str, key: str) -> int:
    _clear_waiting_flag(tenant_id, name, key)
    with tenant_context(tenant_id):
        pending = db.session.scalars(
            select(OutboxItem)
            .where(OutboxItem.job == name, OutboxItem.key == key, OutboxItem.finished_at.is_(None))
            .order_by(OutboxItem.id)
        ).all()
        if not pending:
            return 0
        last_id, args = pending[-1].id, dict(pending[-1].args)
        ids = [item.id for item in pending]
        db.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_(ids))
            .values(started_at=utcnow(), attempts=OutboxItem.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        try:
            JOBS[name].function(**args)
            db.session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(ids))
                .values(finished_at=utcnow(), last_error=None)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
        except Exception:
            db.session.rollback()
            db.session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(ids))
                .values(last_error=traceback.format_exc(limit=5)[-4000:])
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            raise
        newer = db.session.scalar(
            select(OutboxItem.id)
            .where(
                OutboxItem.job == name,
                OutboxItem.key == key,
                OutboxItem.finished_at.is_(None),
                OutboxItem.id > last_id,
            )
            .limit(1)
        )
    if newer is not None:  # changes arrived while this ran: one more run picks them up
        dispatch([(tenant_id, name, key)])
    return len(ids)


def _clear_waiting_flag(tenant_id: int, name: str, key: str) -> None:
    """This run has started: a change from now on must enqueue a new run, not wait for this one."""
    current = get_current_job()
    if current is None:
        return
    flag = waiting_flag(tenant_id, name, key)
    if current.connection.get(flag) == current.id.encode():
        current.connection.delete(flag)
