"""What the operator does to failed jobs: put one back on its queue, or discard it."""

import logging

from redis import Redis
from rq.job import Job

from tenancy.ops.queries import FailedJob, failed_registry

log = logging.getLogger(__name__)


def retry_failed_job(connection: Redis, job: FailedJob) -> Job:
    """Put a failed job back on its queue, to run again as it was enqueued."""
    requeued = failed_registry(job.queue, connection).requeue(job.id)
    log.info("failed job %s (%s) requeued on %s", job.id, job.name, job.queue)
    return requeued


def discard_failed_job(connection: Redis, job: FailedJob) -> None:
    """Remove a failed job from its registry and delete it.

    Outbox work behind it stays recorded: the reconciler enqueues unfinished outbox rows again.
    """
    failed_registry(job.queue, connection).remove(job.id, delete_job=True)
    log.info("failed job %s (%s) discarded from %s", job.id, job.name, job.queue)
