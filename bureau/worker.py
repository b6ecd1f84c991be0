"""The RQ worker process (with RQ's scheduler for delayed and retried jobs)."""

import logging
from datetime import timedelta

from rq import Worker
from rq.serializers import JSONSerializer

from tenancy.extensions import db
from tenancy.jobs import QUEUES, queue, reconcile, redis_connection, set_worker_app

log = logging.getLogger(__name__)


def run_worker(app, *, burst: bool = False) -> bool:
    """Work the registered queues until stopped (or, with burst, until they are empty)."""
    set_worker_app(app)
    with app.app_context():
        requeued = reconcile(stale_after=timedelta(0))  # work left over from before this start
        log.info("worker start: %d outbox key(s) re-enqueued", requeued)
        # Each job runs in a forked work horse: a connection left in this process's pool would be
        # inherited, and shared, by every horse (a broken transaction state in the next job).
        db.engine.dispose()
        connection = redis_connection()
        worker = Worker(
            [queue(name, connection) for name in QUEUES], connection=connection, serializer=JSONSerializer
        )
    log.info("worker listening on %s", ", ".join(QUEUES))
    return worker.work(burst=burst, with_scheduler=True)
