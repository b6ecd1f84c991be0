"""End-to-end run of a production-style SafeGrid against this machine's PostgreSQL and Redis.

    .venv/bin/python tests/deploy/e2e_production.py        (CI: .ci/run, when both are reachable)

Starts gunicorn, one RQ worker and the scheduler exactly as deploy/systemd's units start them (their
ExecStart= commands, with /opt/safegrid replaced by this checkout, and an environment file written
from deploy/.env.example the way /etc/safegrid/safegrid.env is), then over HTTP, as nginx would pass
requests on (X-Forwarded-For/-Proto, X-Request-Id): a school user logs in, uploads a ledger and
submits the month's report; the central school's reviewer approves it; bureau staff watch the
dashboard's figures change once the worker has refreshed the rollups. Everything it starts is
stopped and its database (ops_e2e) dropped and Redis db 13 emptied, also when a step fails.
Each step is printed with its time; the exit status is 0 when every step passed, else 1.
"""

import argparse
import contextlib
import ctypes
import http.cookies
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.deploy.kit import DEPLOY, ROOT, command, read_env_file, read_unit  # noqa: E402

LEDGER = ROOT / "tests" / "data" / "ledgers" / "城关镇第一小学_隐患排查治理台账_2026年3月.xlsx"
PERIOD = "2026-03"  # the ledger's month: over, so its report can be submitted
TENANT = "e2e"
PASSWORD = "E2e-Correct-9"
ORGS = (
    "code,name,level,parent_code,kind,is_private\n"
    f"{TENANT},青山县教育局,1,,bureau,0\n"
    f"CG-ZX,城关镇中心学校,2,{TENANT},central,0\n"
    "CG-YX,城关镇第一小学,3,CG-ZX,primary,0\n"
)
USERS = (
    ("school", "school_admin", "CG-YX"),
    ("reviewer", "central_reviewer", "CG-ZX"),
    ("staff", "bureau_staff", TENANT),
)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

STARTED = time.monotonic()


class StepFailed(Exception):
    """A step did not give what it should; the message says what."""


def say(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:7.2f}s] {text}", flush=True)


class Step:
    """Print a step, its outcome and how long it took."""

    passed = failed = 0

    def __init__(self, title: str) -> None:
        self.title = title

    def __enter__(self):
        self.start = time.monotonic()
        say(f"{self.title} ...")
        return self

    def __exit__(self, kind, error, trace):
        outcome = "ok" if kind is None else f"FAILED: {error}"
        if kind is None:
            Step.passed += 1
        else:
            Step.failed += 1
        say(f"{self.title}: {outcome} ({time.monotonic() - self.start:.2f}s)")
        return False


class Browser:
    """An HTTP client that keeps cookies and sends what nginx would add to each request.

    The session cookie is Secure (SAFEGRID_COOKIE_SECURE=1, as in production): like nginx in front,
    the requests say X-Forwarded-Proto: https, and the cookie is sent back over this plain connection.
    """

    def __init__(self, base: str, client_address: str) -> None:
        self.base, self.client_address = base, client_address
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def request(self, method: str, path: str, *, data: bytes | None = None, headers: dict | None = None):
        """Return (status, headers, body text)."""
        headers = {
            "X-Forwarded-For": self.client_address,
            "X-Forwarded-Proto": "https",
            "X-Request-Id": f"e2e-{uuid.uuid4().hex[:12]}",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, response.read().decode("utf-8", "replace")

    def get(self, path: str, expect: int = 200) -> str:
        status, _headers, body = self.request("GET", path)
        if status != expect:
            raise StepFailed(f"GET {path} answered {status}, expected {expect}")
        return body

    def post_form(self, path: str, fields: dict, files: dict | None = None, expect: int = 302):
        """POST a form (multipart when files are given); return (headers, body)."""
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content) in files.items():
                quoted = urllib.parse.quote(filename)
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f"filename=\"upload.xlsx\"; filename*=UTF-8''{quoted}\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        # Flask-WTF checks the Referer of HTTPS form posts, as a browser sends it.
        referer = f"https://{urllib.parse.urlsplit(self.base).netloc}{path}"
        status, headers, text = self.request(
            "POST", path, data=body, headers={"Content-Type": content_type, "Referer": referer}
        )
        if status != expect:
            raise StepFailed(f"POST {path} answered {status}, expected {expect}: {_text(text)[:300]}")
        return headers, text

    def csrf(self, path: str) -> str:
        match = CSRF.search(self.get(path))
        if not match:
            raise StepFailed(f"no CSRF token on {path}")
        return match.group(1)

    def log_in(self, username: str) -> None:
        token = self.csrf("/login")
        fields = {"tenant": TENANT, "username": username, "password": PASSWORD, "csrf_token": token}
        headers, _text = self.post_form("/login", fields)
        if "/login" in headers.get("Location", ""):
            raise StepFailed(f"{username} was sent back to the login page")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def open_hazards_tile(page: str) -> str:
    """The number on the dashboard's "open hazards" tile."""
    match = re.search(r'id="kpi-open_end".*?class="kpi-value">(.*?)</strong>', page, re.S)
    if not match:
        raise StepFailed("no 'open hazards' tile on the dashboard")
    return _text(match.group(1))


class Api:
    """The JSON API with a bearer token (made by `safegrid user token`)."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def get(self, path: str) -> dict:
        request = urllib.request.Request(
            self.base + "/api/v1" + path,
            headers={"Authorization": f"Bearer {self.token}", "X-Forwarded-Proto": "https"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            raise StepFailed(f"GET /api/v1{path} answered {error.code}: {error.read()[:300]!r}") from None


class Installation:
    """The database, Redis db, instance folder, environment file and processes of one run."""

    def __init__(self, args) -> None:
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="safegrid-e2e-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.database_created = False
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    # --- the backing services ---------------------------------------------------------------

    def admin(self):
        import psycopg

        return psycopg.connect(self.args.pg_admin_url, autocommit=True, connect_timeout=5)

    def create_database(self) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.args.database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.args.database}"')
        self.database_created = True
        self.redis().flushdb()

    def drop_database(self) -> None:
        if self.database_created:
            with self.admin() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.args.database}" WITH (FORCE)')
        with contextlib.suppress(Exception):
            self.redis().flushdb()

    def redis(self):
        from redis import Redis

        return Redis.from_url(self.args.redis_url, socket_connect_timeout=5)

    def database_url(self) -> str:
        admin = urllib.parse.urlsplit(self.args.pg_admin_url)
        return urllib.parse.urlunsplit(("postgresql+psycopg", admin.netloc, f"/{self.args.database}", "", ""))

    # --- the environment, as /etc/safegrid/safegrid.env --------------------------------------

    def write_env_file(self) -> Path:
        """deploy/.env.example with this run's database, Redis, folder, secret and port."""
        overrides = {
            "SAFEGRID_DATABASE_URL": self.database_url(),
            "SAFEGRID_REDIS_URL": self.args.redis_url,
            "SAFEGRID_INSTANCE_PATH": str(self.folder / "instance"),
            "SAFEGRID_SECRET_KEY": secrets.token_hex(32),
            "SAFEGRID_WEB_BIND": f"127.0.0.1:{self.port}",
            "SAFEGRID_WEB_WORKERS": "2",  # two cores here, shared with PostgreSQL and the worker
        }
        lines = []
        for line in (DEPLOY / ".env.example").read_text().splitlines():
            name = line.lstrip("#").split("=", 1)[0]
            if "=" in line and name in overrides:
                line = f"{name}={overrides.pop(name)}"
            lines.append(line)
        if overrides:
            raise StepFailed(f"deploy/.env.example lacks {sorted(overrides)}")
        path = self.folder / "safegrid.env"
        path.write_text("\n".join(lines) + "\n")
        return path

    def environment(self) -> dict[str, str]:
        """The process environment: this shell's, without any SAFEGRID_*, plus the env file."""
        base = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGRID_")}
        return base | read_env_file(self.folder / "safegrid.env")

    # --- commands and processes --------------------------------------------------------------

    def safegrid(self, *arguments: str, stdin: str | None = None) -> str:
        """Run a `safegrid` command as an operator would (same environment as the units)."""
        result = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "safegrid"), *arguments],
            cwd=ROOT,
            env=self.environment(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise StepFailed(
                f"safegrid {' '.join(arguments)} exited {result.returncode}: {result.stderr[-800:]}"
            )
        return result.stdout

    def run_unit_command(self, unit: str, key: str) -> None:
        result = subprocess.run(
            command(read_unit(unit), key),
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise StepFailed(f"{unit} {key} exited {result.returncode}: {result.stderr[-800:]}")

    def start(self, name: str, unit: str) -> None:
        """Start a unit's ExecStart= in its own process group, its output in <folder>/<name>.log."""
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(
            command(read_unit(unit)),
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_stop_with_this_script,
        )
        log.close()

    def check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise StepFailed(f"{name} exited with {process.returncode}")

    def stop(self) -> None:
        """As systemd stops the units: SIGTERM to each main process, then SIGKILL to what is left."""
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop within 30 s: killed")
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # the group: gunicorn workers, RQ work horses
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)

    def show_logs(self, lines: int = 40) -> None:
        for name in self.processes:
            path = self.folder / f"{name}.log"
            text = path.read_text(errors="replace").splitlines() if path.exists() else []
            print(f"----- last {lines} lines of {name}.log -----", flush=True)
            print("\n".join(text[-lines:]), flush=True)

    def remove_folder(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


def _stop_with_this_script() -> None:
    """In the child: get SIGTERM if this script dies without cleaning up (Linux prctl PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, timeout: float, every: float = 0.5, installation: Installation | None = None):
    """Call check() until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if installation is not None:
            installation.check_running()
        try:
            last = check()
        except (OSError, StepFailed) as error:
            last = error
        else:
            if last:
                return last
        time.sleep(every)
    raise StepFailed(f"{what}: not within {timeout:g} s (last: {last!r})")


def scenario(site: Installation, timeout: float) -> None:
    expected_rows = len(json.loads(LEDGER.with_name(LEDGER.name + ".expected.json").read_text())["rows"])

    with Step(f"create database {site.args.database}, empty Redis {site.args.redis_url}"):
        site.create_database()
    with Step("write the environment file from deploy/.env.example"):
        site.write_env_file()
    with Step("migrate (safegrid-web.service ExecStartPre: safegrid db upgrade)"):
        site.run_unit_command("safegrid-web.service", "ExecStartPre")
    with Step("tenant, org tree and users through the command line"):
        site.safegrid("tenant", "create", TENANT, "青山县教育局")
        (site.folder / "orgs.csv").write_text(ORGS)
        site.safegrid("org", "import", "--tenant", TENANT, str(site.folder / "orgs.csv"))
        for username, role, org in USERS:
            site.safegrid(
                "user",
                "create",
                "--tenant",
                TENANT,
                "--org",
                org,
                "--role",
                role,
                "--password",
                PASSWORD,
                username,
            )
        api = Api(site.base, site.safegrid("user", "token", "--tenant", TENANT, "staff").strip())
    with Step(f"start gunicorn on {site.base}, a worker and the scheduler (the systemd units' commands)"):
        site.start("web", "safegrid-web.service")
        site.start("worker", "safegrid-worker@.service")
        site.start("scheduler", "safegrid-scheduler.service")
    with Step("wait until /readyz answers ready"):
        probe = Browser(site.base, "127.0.0.1")

        def ready():
            status, _headers, body = probe.request("GET", "/readyz")
            if status == 404:  # before /readyz existed: the process is up
                status, _headers, body = probe.request("GET", "/healthz")
            return status == 200 and body

        say(f"  {wait_for('ready', ready, timeout, installation=site)[:200]}")

    staff = Browser(site.base, "203.0.113.33")
    with Step("bureau staff log in: the dashboard's figures before"):
        units = api.get("/org-units?per_page=200")["items"]
        ids = {unit["code"]: unit["id"] for unit in units}
        rollups = f"/rollups?org_unit={ids[TENANT]}&period={PERIOD}"
        before = api.get(rollups)["totals"]
        staff.log_in("staff")
        dashboard = f"/dashboards/{ids[TENANT]}?from={PERIOD}&to={PERIOD}"
        tile_before = open_hazards_tile(staff.get(dashboard))
        say(
            f"  {PERIOD}: API found={before['found']} open_end={before['open_end']}; 'open hazards' tile {tile_before}"
        )
        if (before["found"], before["open_end"], tile_before) != (0, 0, "0"):
            raise StepFailed("a new district should show no hazards")

    school = Browser(site.base, "203.0.113.11")
    with Step("school safety officer logs in"):
        school.log_in("school")
    with Step(f"school uploads the ledger {LEDGER.name}"):
        upload = f"/schools/{ids['CG-YX']}/ledgers/upload"
        _headers, preview = school.post_form(
            upload,
            {"csrf_token": school.csrf(upload)},
            files={"file": (LEDGER.name, LEDGER.read_bytes())},
            expect=200,
        )
        confirm = re.search(r'action="(/schools/\d+/ledgers/[^"]+)"', preview)
        if not confirm:
            raise StepFailed(f"no confirm form on the preview: {_text(preview)[:400]}")
        token = CSRF.search(preview).group(1)
        school.post_form(confirm.group(1), {"csrf_token": token})
        listed = api.get(f"/hazards?school_id={ids['CG-YX']}&per_page=1")["total"]
        if listed != expected_rows:
            raise StepFailed(f"{listed} hazards imported, expected {expected_rows}")
        say(f"  {listed} hazards imported")
    with Step(f"school submits the {PERIOD} report"):
        submit = f"/schools/{ids['CG-YX']}/reports/submit?period={PERIOD}"
        headers, _text_ = school.post_form(
            submit,
            {
                "csrf_token": school.csrf(submit),
                "period": PERIOD,
                "narrative": "三月排查隐患16处，已整改10处。",
            },
        )
        submission_id = int(re.search(r"/reports/(\d+)$", headers["Location"]).group(1))
        status = api.get(f"/submissions/{submission_id}")["status"]
        if status != "submitted":
            raise StepFailed(f"the report is {status}")

    reviewer = Browser(site.base, "203.0.113.22")
    with Step("central school reviewer logs in and approves the report"):
        reviewer.log_in("reviewer")
        page = f"/reports/{submission_id}"
        reviewer.post_form(
            f"{page}/review", {"csrf_token": reviewer.csrf(page), "decision": "approve", "comment": "同意。"}
        )
        status = api.get(f"/submissions/{submission_id}")["status"]
        if status != "approved":
            raise StepFailed(f"the report is {status} after approval")

    with Step("bureau staff see the dashboard's figures change (the worker refreshes the rollups)"):

        def refreshed():
            totals = api.get(rollups)["totals"]
            return totals if totals["found"] == expected_rows else None

        after = wait_for(f"rollups found={expected_rows}", refreshed, timeout, every=1, installation=site)
        say(
            f"  {PERIOD}: found {before['found']} → {after['found']}, open_end {before['open_end']} → {after['open_end']}"
        )
        tile_after = open_hazards_tile(staff.get(dashboard))
        say(f"  dashboard's 'open hazards' tile for {PERIOD}: {tile_before} → {tile_after}")
        if tile_after != str(after["open_end"]) or after["open_end"] == 0:
            raise StepFailed(
                f"the dashboard shows {tile_after} open hazards, the rollups {after['open_end']}"
            )
    site.check_running()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="ops_e2e")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument(
        "--timeout", type=float, default=90, help="seconds to wait for readiness and the rollups"
    )
    parser.add_argument("--keep-logs", action="store_true", help="print the processes' logs even on success")
    parser.add_argument("--log-lines", type=int, default=40, help="how much of each log to print")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, _interrupted)  # a CI timeout: clean up as for any failure
    site = Installation(args)
    failed = False
    try:
        scenario(site, args.timeout)
    except (Exception, KeyboardInterrupt) as error:  # any failure: report, then clean up all the same
        failed = True
        say(f"FAILED: {type(error).__name__}: {error}")
    finally:
        with Step("stop gunicorn, the worker and the scheduler"):
            site.stop()
        if failed or args.keep_logs:
            site.show_logs(args.log_lines)
        with Step(f"drop database {args.database}, empty Redis"):
            site.drop_database()
        site.remove_folder()
    say("end-to-end: FAILED" if failed else "end-to-end: passed")
    print(f"e2e: {Step.passed} passed, {Step.failed + (failed and not Step.failed)} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
