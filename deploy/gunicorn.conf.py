"""Gunicorn settings for SafeGrid's web processes: `gunicorn -c deploy/gunicorn.conf.py bureau.wsgi:app`.

Used as-is by deploy/compose.yaml, deploy/systemd/safegrid-web.service and the CI's end-to-end run
(tests/deploy/e2e_production.py). Three variables tune it (all optional, see deploy/.env.example):

    SAFEGRID_WEB_BIND      where to listen                      default 127.0.0.1:8000
    SAFEGRID_WEB_WORKERS   worker processes                     default min(2 × CPUs + 1, 8)
    SAFEGRID_WEB_THREADS   threads per worker process           default 4

Only the standard library is imported here, on purpose: this file runs in the master process, and
anything it imported (tenancy.config, say) would be inherited by every worker forked after a
`systemctl reload` (HUP), which would then run the old copy of that module next to new code.
"""

import multiprocessing
import os

MAX_WORKERS = 8  # each worker holds the app (~200 MB at 5,000 schools, deploy/SCALING.md) and a DB pool


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise RuntimeError(f"{name} must be at least 1, got {value}")
    return value


def default_workers(cpus: int | None = None) -> int:
    """2 × CPUs + 1 (gunicorn's rule of thumb for request/response work), capped at MAX_WORKERS."""
    cpus = cpus or os.cpu_count() or multiprocessing.cpu_count() or 1
    return min(2 * cpus + 1, MAX_WORKERS)


bind = os.environ.get("SAFEGRID_WEB_BIND", "").strip() or "127.0.0.1:8000"
workers = _int("SAFEGRID_WEB_WORKERS", default_workers())
# Threads let one worker answer the quick requests while another thread waits on the database or
# a ledger upload; the app keeps no per-thread state outside Flask's request context.
worker_class = "gthread"
threads = _int("SAFEGRID_WEB_THREADS", 4)

# A request that runs longer than this is killed and logged: the slowest page measured at 5,000
# schools is a dashboard cache miss (~0.6 s); ledger imports of 20,000 rows take ~1 s.
timeout = 60
# On HUP/TERM a worker finishes the requests it holds for up to this long (zero-downtime reload).
graceful_timeout = 30
# nginx keeps upstream connections open; a little longer than nginx's own keepalive_timeout upstream.
keepalive = 5
# Recycle workers now and then so slow leaks cannot grow without bound; the jitter keeps them from
# restarting all at once.
max_requests = 2000
max_requests_jitter = 200

# Load the app in each worker (the default), never in the master: a reload (HUP) then starts
# workers on the new code while the old ones finish their requests.
preload_app = False
# Heartbeat files in memory, not on a disk that may stall (and ProtectSystem=strict in systemd).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Signals are how systemd, compose and the CI control gunicorn; no control socket in $HOME.
control_socket_disable = True

# Logs go to stdout/stderr: journald or the container runtime keeps them. The access line carries
# the request id the app answers with (X-Request-Id, the one nginx sent or a new one), so one request
# can be followed from nginx's log through gunicorn's to the app's.
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s "%(a)s"'
)
proc_name = "safegrid-web"
