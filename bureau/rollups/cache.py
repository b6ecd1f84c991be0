"""What is computed from the rollups, computed once per rollup version and kept in Redis.

A bureau dashboard of 5,000 schools sums tens of thousands of rollup rows and draws a
3,000-cell heatmap, and the rollups API answers the same question for every client that asks;
both change only when the rollups do (every change to a school's records reaches them through
the flags job, which raises the tenant's rollup version in the same transaction as the rollup
rows: RollupVersion). So the answers are kept under (tenant, rollup version, the caller's
parts: unit, filters, day, language…) and shared by every user and web process who asks. They
must hold no per-user content: callers check the user's scope on the unit first and keep what
depends on the user (flags in scope, review queues) out of the cached parts.

Redis unreachable or not configured → everything is computed on every request.
"""

import hashlib
import json
import logging
from collections.abc import Callable

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError

from bureau.rollups.read import rollup_version
from tenancy.jobs import redis_connection
from tenancy.scoping import current_tenant_id

log = logging.getLogger(__name__)

KEEP_SECONDS = 6 * 3600  # a version nobody asks for any more ages out
PREFIX = "safegrid:rollups:"


def _redis() -> Redis | None:
    """One client (and connection pool) per app, not one per request; None without Redis."""
    if not current_app.config.get("REDIS_URL"):
        return None
    client = current_app.extensions.get("safegrid_rollups_cache")
    if client is None:
        client = current_app.extensions["safegrid_rollups_cache"] = redis_connection()
    return client


def cached(parts: tuple, render: Callable[[], dict]) -> dict:
    """Return the JSON-able dict kept for `parts` at the current rollup version, else render and keep it."""
    described = json.dumps([current_tenant_id(), rollup_version(), *parts], default=str)
    key = PREFIX + hashlib.sha256(described.encode()).hexdigest()
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
