"""Readiness for probes, and the platform operator's pages of failed jobs."""

from flask import abort, flash, g, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from redis.exceptions import RedisError

from tenancy.extensions import login_manager
from tenancy.jobs import redis_connection
from tenancy.ops import operations, queries
from tenancy.ops.health import check_readiness
from tenancy.web import require_operator


def readyz():
    """Answer whether this installation can serve (200) or not (503), with every check."""
    # Never load an account from a session cookie here: that needs the database being checked.
    g._login_user = login_manager.anonymous_user()
    report = check_readiness()
    response = jsonify(report.as_json())
    response.status_code = 200 if report.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _redis_unavailable(error: Exception):
    page = render_template(
        "tenancy/ops/failed_jobs.html", jobs=[], limit=queries.LIST_LIMIT, redis_error=str(error)
    )
    return page, 503


def _load(job_id: str):
    connection = redis_connection()
    job = queries.get_failed_job(connection, job_id)
    if job is None:
        abort(404)
    return connection, job


@require_operator
def list_failed_jobs():
    """List the jobs of every queue that failed after their retries."""
    try:
        jobs = queries.list_failed_jobs(redis_connection())
    except (RedisError, RuntimeError) as error:  # RuntimeError: no Redis configured
        return _redis_unavailable(error)
    return render_template("tenancy/ops/failed_jobs.html", jobs=jobs, limit=queries.LIST_LIMIT)


@require_operator
def show_failed_job(job_id: str):
    """Show one failed job with its arguments and full traceback."""
    try:
        _connection, job = _load(job_id)
    except (RedisError, RuntimeError) as error:
        return _redis_unavailable(error)
    return render_template("tenancy/ops/failed_job.html", job=job)


@require_operator
def retry_failed_job(job_id: str):
    """Put a failed job back on its queue."""
    try:
        connection, job = _load(job_id)
        operations.retry_failed_job(connection, job)
    except (RedisError, RuntimeError) as error:
        return _redis_unavailable(error)
    flash(_("Job %(id)s is back on the %(queue)s queue.", id=job.id, queue=job.queue), "success")
    return redirect(url_for("ops.list_failed_jobs"))


@require_operator
def discard_failed_job(job_id: str):
    """Delete a failed job."""
    try:
        connection, job = _load(job_id)
        operations.discard_failed_job(connection, job)
    except (RedisError, RuntimeError) as error:
        return _redis_unavailable(error)
    flash(_("Job %(id)s was discarded.", id=job.id), "success")
    return redirect(url_for("ops.list_failed_jobs"))
