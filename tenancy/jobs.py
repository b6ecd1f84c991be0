"""Job plumbing: the Redis connection, the queue registry and the job decorator.

Jobs take ids and plain values only (JSON serializer, never pickle) and run inside an
app context of the worker's app.
"""

import functools
import logging

from flask import Flask, current_app
from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

log = logging.getLogger(__name__)

# Every queue SafeGrid uses, most urgent first (workers listen in this order).
QUEUES = ("default", "rollups")

_worker_app: Flask | None = None


def redis_connection(url: str | None = None) -> Redis:
    """Connect to SAFEGRID_REDIS_URL (redis://, rediss:// or unix://)."""
    url = url or current_app.config["REDIS_URL"]
    if not url:
        raise RuntimeError("SAFEGRID_REDIS_URL is not set and no embedded Redis was started")
    return Redis.from_url(url)


def queue(name: str = "default", connection: Redis | None = None) -> Queue:
    """Return a registered queue."""
    if name not in QUEUES:
        raise KeyError(f"unknown queue {name!r}")
    return Queue(name, connection=connection or redis_connection(), serializer=JSONSerializer)


def set_worker_app(app: Flask) -> None:
    """Give jobs the app they run in (called once when a worker starts)."""
    global _worker_app
    _worker_app = app


def job(function):
    """Mark a function as an RQ job that runs in a fresh app context."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if _worker_app is None:
            return function(*args, **kwargs)  # already inside an app (tests, CLI)
        with _worker_app.app_context():
            return function(*args, **kwargs)

    return run
