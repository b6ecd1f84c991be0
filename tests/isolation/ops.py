"""Isolation table of the operations pages: failed jobs are the platform operator's alone."""

from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from tenancy.jobs import queue, redis_connection, run_outbox
from tests.isolation.route import Route

JOB = "/platform/jobs/failed/{failed_job}"

ROUTES = {
    "ops.list_failed_jobs": Route("GET", "/platform/jobs/failed", owner="@operator", wrong_role="admin"),
    "ops.show_failed_job": Route("GET", JOB, owner="@operator", wrong_role="admin"),
    "ops.retry_failed_job": Route("POST", JOB + "/retry", owner="@operator", wrong_role="admin"),
    "ops.discard_failed_job": Route("POST", JOB + "/discard", owner="@operator", wrong_role="admin"),
}


def objects(app, world) -> dict[str, str]:
    """A failed outbox run of tenant alpha in the default queue's failed registry."""
    with app.app_context():
        connection = redis_connection()
        job = Job.create(
            run_outbox,
            args=(world.alpha.id, "isolation.job", "k"),
            connection=connection,
            serializer=JSONSerializer,
            id="sg-isolation-failed",
            origin="default",
        )
        FailedJobRegistry(queue=queue("default", connection)).add(job, ttl=600, exc_string="RuntimeError: x")
        return {"failed_job": job.id}
