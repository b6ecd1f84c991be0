"""Reads for the operator: RQ jobs that failed for good, in every queue."""

from dataclasses import dataclass
from datetime import UTC, datetime

from redis import Redis
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy import select

from tenancy.extensions import db
from tenancy.jobs import QUEUES, queue
from tenancy.models import Tenant
from tenancy.ops.logs import OUTBOX_ENTRY
from tenancy.scoping import unscoped

LIST_LIMIT = 200  # newest failures per queue on the list page


@dataclass
class FailedJob:
    """What the operator sees of one failed job."""

    id: str
    queue: str
    function: str | None
    name: str | None  # the SafeGrid job name of an outbox run, else the function
    tenant_id: int | None
    tenant_code: str | None
    args: str
    enqueued_at: datetime | None
    ended_at: datetime | None
    traceback: str

    @property
    def last_line(self) -> str:
        """The exception, as its traceback's last line says it."""
        lines = [line for line in self.traceback.strip().splitlines() if line.strip()]
        return lines[-1] if lines else ""


def failed_registry(name: str, connection: Redis) -> FailedJobRegistry:
    """The failed-job registry of queue `name`."""
    return FailedJobRegistry(queue=queue(name, connection))


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _describe(job: Job, queue_name: str, codes: dict[int, str]) -> FailedJob:
    function = name = tenant_id = None
    args = "?"
    try:
        function = job.func_name
        name = function
        args = ", ".join([repr(arg) for arg in job.args] + [f"{k}={v!r}" for k, v in job.kwargs.items()])
        if function == OUTBOX_ENTRY and len(job.args) >= 2:
            tenant_id, name = job.args[0], job.args[1]
        elif isinstance(job.kwargs.get("tenant_id"), int):
            tenant_id = job.kwargs["tenant_id"]
    except Exception:  # written with another serializer: show what the job hash itself says
        pass
    result = job.latest_result()  # a failure's traceback is kept in its result
    traceback = (result.exc_string if result is not None else None) or ""
    return FailedJob(
        id=job.id,
        queue=queue_name,
        function=function,
        name=name,
        tenant_id=tenant_id if isinstance(tenant_id, int) else None,
        tenant_code=codes.get(tenant_id) if isinstance(tenant_id, int) else None,
        args=args,
        enqueued_at=_utc(job.enqueued_at),
        ended_at=_utc(job.ended_at),
        traceback=traceback,
    )


def _tenant_codes() -> dict[int, str]:
    with unscoped():
        return {tenant_id: code for tenant_id, code in db.session.execute(select(Tenant.id, Tenant.code))}


def list_failed_jobs(connection: Redis) -> list[FailedJob]:
    """The newest failed jobs of every queue, newest first."""
    codes = _tenant_codes()
    found = []
    for name in QUEUES:
        ids = failed_registry(name, connection).get_job_ids(0, LIST_LIMIT - 1, desc=True)
        jobs = Job.fetch_many(ids, connection=connection, serializer=JSONSerializer)
        found += [_describe(job, name, codes) for job in jobs if job is not None]
    epoch = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda job: job.ended_at or job.enqueued_at or epoch, reverse=True)


def get_failed_job(connection: Redis, job_id: str) -> FailedJob | None:
    """The failed job `job_id`, or None when no queue's failed registry holds it."""
    for name in QUEUES:
        if job_id in failed_registry(name, connection):
            job = Job.fetch_many([job_id], connection=connection, serializer=JSONSerializer)[0]
            return None if job is None else _describe(job, name, _tenant_codes())
    return None


def failed_counts(connection: Redis) -> dict[str, int]:
    """How many failed jobs each queue holds."""
    return {name: failed_registry(name, connection).get_job_count(cleanup=False) for name in QUEUES}
