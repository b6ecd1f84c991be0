"""The dashboards' figures, rendered once per rollup version and kept in Redis.

A bureau dashboard of 5,000 schools sums tens of thousands of rollup rows and draws a
3,000-cell heatmap; its parts computed from the rollups change only when the rollups do (every
change reaches them through the flags job, which raises the tenant's rollup version in the
same transaction). So those parts are rendered once per (tenant, unit, filters, day, language,
version) and shared by every user and web process who asks: they hold no per-user content (the
user's scope is checked before, on the unit). The live parts of the page (flags, the review
queue, the supervision list, a school's ledger) are read on every request.

Redis unreachable → the parts are rendered on every request, as if nothing were cached.
"""

import hashlib
import json
import logging
from collections.abc import Callable

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError

from tenancy.jobs import redis_connection

log = logging.getLogger(__name__)

KEEP_SECONDS = 6 * 3600  # a version nobody asks for any more ages out
PREFIX = "safegrid:dashboard:"


def _redis() -> Redis | None:
    """One client (and connection pool) per app, not one per request; None without Redis."""
    if not current_app.config.get("REDIS_URL"):
        return None
    client = current_app.extensions.get("safegrid_dashboard_cache")
    if client is None:
        client = current_app.extensions["safegrid_dashboard_cache"] = redis_connection()
    return client


def cache_key(*parts) -> str:
    return PREFIX + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def cached(key: str, render: Callable[[], dict]) -> dict:
    """Return the JSON-able dict stored under `key`, rendering and storing it when missing."""
    client = _redis()
    if client is None:
        return render()
    try:
        stored = client.get(key)
    except RedisError as error:
        log.warning("dashboard cache unavailable: %s", error)
        return render()
    if stored is not None:
        return json.loads(stored)
    value = render()
    try:
        client.set(key, json.dumps(value), ex=KEEP_SECONDS)
    except RedisError as error:
        log.warning("dashboard cache unavailable: %s", error)
    return value
