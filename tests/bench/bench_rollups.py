"""Measure the rollups on a large synthetic tenant: full rebuild, incremental refresh, HTTP reads, memory.

Run: .venv/bin/python tests/bench/bench_rollups.py [--database-url URL] [--schools N --centrals N
     --hazards N --years N] [--reuse] [--skip-http] [--repeat 3] [--samples 50] [--duration 10]

Default database: PostgreSQL sg_bench at 5000 schools / 200 centrals / 1,000,000 hazards / 3 years;
with a sqlite:// URL the defaults are 500 / 20 / 100,000 / 3. --reuse keeps an existing tenant with
the code (--code, default "bench"); otherwise it is rebuilt with tests/bench/synthetic.py. Each run
prints these figures, then a summary with PASS/MISS per target; the exit status is 1 on any MISS:

1. Full recompute. `rebuild_all()` + commit (median of --repeat) against a raw baseline measured in
   the same run: the same figures by plain SELECT … GROUP BY, writing nothing: every unit's own rows
   (`own_rows`) lifted to the unit, its parent and grandparent and summed (the level sums), and the
   level-2 category detail (`category_rows`) plus the bureau's as its sum. Each is wrapped as
   `SELECT count(*), sum(figure)… FROM (…)`: one row comes back, and the sums keep PostgreSQL from
   dropping the figure columns of the subquery; they must equal the sums over the rebuilt tables.
   Target: rebuild / baseline <= 1.5. Also the row counts of the rollup tables against the hazards.
2. Incremental refresh. For --samples random schools: flip one open hazard to rectified today (or
   move a deadline by a day when none is open), commit, then time `refresh_unit(school)` + commit.
   Baseline for the same school: one INSERT … SELECT own_rows(units=[school]) … ON CONFLICT DO UPDATE
   of its own rows only + commit (it rewrites the values refresh_unit just wrote, or runs before the
   change, so the tables stay right). Median and p95 of both. Targets: median ratio <= 3, median
   <= 50 ms. Also timed, without a target: the school's central school's category detail
   (`refresh_categories`), a job of its own coalesced per central school. The changes are undone
   afterwards and the tables checked against the records.
3. HTTP under load (--skip-http leaves it out). gunicorn as bureau/launcher.py starts it (2 workers,
   4 threads, bureau.wsgi:app) on a free loopback port, on the same database and Redis db 14 with a
   temporary instance folder; --clients threads with keep-alive http.client connections load each
   endpoint for --duration seconds after a 2 s warm-up. The trivial endpoints are /healthz and
   /api/v1/me (Bearer token of a bench bureau_admin); then /api/v1/rollups for the root and the
   current month, with and without children=1, and the dashboard /dashboards/<root id> with a
   session cookie; on PostgreSQL the rollup tables are vacuumed first. Targets: rollups throughput
   / /api/v1/me throughput >= 0.5; dashboard p95 / /api/v1/me p95 <= 10. The load generator shares
   the machine with the server.
4. Peak memory. VmHWM of the gunicorn workers after the load, and ru_maxrss / VmHWM of a
   subprocess that runs one `rebuild_all()` + commit as an RQ worker would (no target).
"""

import argparse
import http.client
import json
import os
import random
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import delete, func, literal, select, true, union_all, update  # noqa: E402

from bureau.rollups.measures import category_rows, own_rows  # noqa: E402
from bureau.rollups.models import (  # noqa: E402
    CATEGORY_FIGURES,
    KEYS,
    UNIT_FIGURES,
    CategoryMonth,
    UnitMonth,
)
from bureau.rollups.refresh import (  # noqa: E402
    _insert,
    _level2_of_hazard,
    category_owner,
    make_scope,
    months_to_cover,
    rebuild_all,
    refresh_categories,
    refresh_unit,
)
from schools.hazards.models import OPEN_STATUSES, Hazard  # noqa: E402
from tenancy.extensions import db  # noqa: E402
from tenancy.models import OrgUnit, Tenant  # noqa: E402
from tenancy.scoping import tenant_context, unscoped  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/sg_bench"
REDIS_URL = "redis://127.0.0.1:6379/14"
SIZES = {  # backend → schools, centrals, hazards, years
    "postgresql": (5000, 200, 1_000_000, 3),
    "sqlite": (500, 20, 100_000, 3),
}
MAX_REBUILD_RATIO = 1.5
MAX_REFRESH_RATIO = 3.0
MAX_REFRESH_MS = 50.0
MIN_API_THROUGHPUT_RATIO = 0.5
MAX_DASHBOARD_P95_RATIO = 10.0
BENCH_USER = "bench_rollups_admin"
TOKEN_NAME = "bench_rollups"  # replaced on every run
USER_AGENT = "bench-rollups"
WARMUP_SECONDS = 2.0
# One moment for every recompute of the run: overdue figures follow the local date, which may
# change during a run (midnight in Asia/Shanghai is 16:00 UTC).
NOW = datetime.now(UTC)


@dataclass
class Summary:
    """Targets met or missed, in the order they were checked."""

    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append((name, ok, detail))

    def print(self) -> bool:
        print("\n== summary")
        for name, ok, detail in self.checks:
            print(f"{'PASS' if ok else 'MISS'}  {name}: {detail}")
        return all(ok for _name, ok, _detail in self.checks)


# --- the app and the tenant -------------------------------------------------------------


def make_app(database_url: str, instance: Path, secret_key: str):
    """The app on the bench database, signing sessions with the key the gunicorn server gets."""
    from bureau.app import create_app
    from tenancy.config import TestConfig

    config = TestConfig(database_url, None, instance)
    config.SECRET_KEY = secret_key
    return create_app(config)


def prepare_tenant(app, args) -> int:
    """Return the tenant id: the existing one with --reuse, else a freshly built one."""
    from tests.bench.synthetic import build_tenant

    with app.app_context():
        db.create_all()  # only missing tables
        with unscoped():
            tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.code == args.code))
        db.session.commit()
        if tenant_id is not None and args.reuse:
            print(f"tenant {args.code!r}: reused (id {tenant_id})")
            return tenant_id
        started = time.perf_counter()
        tenant_id = build_tenant(
            app,
            code=args.code,
            schools=args.schools,
            centrals=args.centrals,
            hazards=args.hazards,
            years=args.years,
            today=local_today(),
        )
        print(f"tenant {args.code!r}: built in {time.perf_counter() - started:.0f} s (id {tenant_id})")
        return tenant_id


def local_today():
    from tests.bench.synthetic import ZONE

    return datetime.now(ZONE).date()


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def timed(action: Callable[..., object], *args) -> float:
    started = time.perf_counter()
    action(*args)
    return time.perf_counter() - started


# --- 1. full recompute ------------------------------------------------------------------


def rebuild_and_commit() -> None:
    rebuild_all(now=NOW)
    db.session.commit()


def unit_baseline_query(tenant_id: int):
    """Every unit's figures (own rows lifted to parent and grandparent, summed), as one count and sums."""
    scope = make_scope(now=NOW)
    own = own_rows(scope, months_to_cover(scope)).cte("own")
    org = OrgUnit.__table__
    parent = org.alias("parent")
    figures = [own.c[name] for name in UNIT_FIGURES]
    lifted = union_all(
        select(own.c.u.label("a"), own.c.p, *figures),
        select(org.c.parent_id, own.c.p, *figures)
        .select_from(own)
        .join(org, org.c.id == own.c.u)
        .where(org.c.tenant_id == tenant_id, org.c.parent_id.isnot(None)),
        select(parent.c.parent_id, own.c.p, *figures)
        .select_from(own)
        .join(org, org.c.id == own.c.u)
        .join(parent, parent.c.id == org.c.parent_id)
        .where(org.c.tenant_id == tenant_id, parent.c.parent_id.isnot(None)),
    ).subquery("lifted")
    rows = (
        select(lifted.c.a, lifted.c.p, *(func.sum(lifted.c[name]).label(name) for name in UNIT_FIGURES))
        .group_by(lifted.c.a, lifted.c.p)
        .subquery("rows")
    )
    return select(func.count(), *(func.sum(rows.c[name]) for name in UNIT_FIGURES))


def category_baseline_query(root_id: int):
    """The level-2 category detail and the bureau's (their sum), as one count and sums."""
    detail = category_rows(make_scope(now=NOW), _level2_of_hazard()).cte("detail")
    figures = [detail.c[name] for name in CATEGORY_FIGURES]
    rows = union_all(
        select(detail.c.u, detail.c.p, detail.c.category, *figures),
        select(
            literal(root_id),
            detail.c.p,
            detail.c.category,
            *(func.sum(column).label(column.name) for column in figures),
        ).group_by(detail.c.p, detail.c.category),
    ).subquery("rows")
    return select(func.count(), *(func.sum(rows.c[name]) for name in CATEGORY_FIGURES))


def run_baseline(tenant_id: int, root_id: int) -> tuple[tuple, tuple]:
    """Execute both baseline SELECTs; return their (count, sums…) rows."""
    units = tuple(db.session.execute(unit_baseline_query(tenant_id)).one())
    categories = tuple(db.session.execute(category_baseline_query(root_id)).one())
    db.session.rollback()
    return units, categories


def table_sums(tenant_id: int) -> tuple[tuple, tuple]:
    """(rows, sums…) of the two rollup tables, to compare with the baseline."""
    unit, category = UnitMonth.__table__.c, CategoryMonth.__table__.c
    units = db.session.execute(
        select(func.count(), *(func.sum(unit[name]) for name in UNIT_FIGURES)).where(
            unit.tenant_id == tenant_id
        )
    ).one()
    categories = db.session.execute(
        select(func.count(), *(func.sum(category[name]) for name in CATEGORY_FIGURES)).where(
            category.tenant_id == tenant_id
        )
    ).one()
    return tuple(units), tuple(categories)


def tables_match(baseline: tuple[tuple, tuple], tables: tuple[tuple, tuple]) -> bool:
    """Whether the figure sums agree (row counts differ: the tables keep no all-zero rows); print any difference."""
    differences = [
        f"{name} baseline {int(ours or 0)} tables {int(theirs or 0)}"
        for names, expected, got in zip((UNIT_FIGURES, CATEGORY_FIGURES), baseline, tables, strict=True)
        for name, ours, theirs in zip(names, expected[1:], got[1:], strict=True)
        if int(ours or 0) != int(theirs or 0)
    ]
    for difference in differences:
        print(f"  differs: {difference}")
    return not differences


def bench_full(app, tenant_id: int, root_id: int, repeat: int, summary: Summary) -> None:
    print("\n== 1. full recompute")
    with app.app_context(), tenant_context(tenant_id):
        hazards = db.session.scalar(select(func.count()).where(Hazard.tenant_id == tenant_id))
        baseline_times, rebuild_times = [], []
        for _attempt in range(repeat):  # alternate, so neither always runs on a warmer cache
            baseline_times.append(timed(run_baseline, tenant_id, root_id))
            rebuild_times.append(timed(rebuild_and_commit))
        baseline = run_baseline(tenant_id, root_id)
        tables = table_sums(tenant_id)
    raw, rebuild = statistics.median(baseline_times), statistics.median(rebuild_times)
    ratio = rebuild / raw
    units, categories = tables[0][0], tables[1][0]
    print(f"hazards: {hazards}")
    print(f"rollup_unit_months rows: {units}  rollup_category_months rows: {categories}")
    print(f"compression: {hazards / max(1, units + categories):.1f} hazards per rollup row")
    print(f"baseline figure rows (incl. all-zero): units {baseline[0][0]}, categories {baseline[1][0]}")
    print(f"raw_baseline_seconds: {raw:.2f}  (runs: {', '.join(f'{t:.2f}' for t in baseline_times)})")
    print(f"rebuild_all_seconds: {rebuild:.2f}  (runs: {', '.join(f'{t:.2f}' for t in rebuild_times)})")
    print(f"rebuild_to_raw_ratio: {ratio:.2f} (target <= {MAX_REBUILD_RATIO:g})")
    match = tables_match(baseline, tables)
    print(f"rollup table sums equal the baseline sums: {'yes' if match else 'NO'}")
    summary.check(
        "full rebuild / raw GROUP BY", ratio <= MAX_REBUILD_RATIO, f"{ratio:.2f} <= {MAX_REBUILD_RATIO:g}"
    )
    summary.check("full rebuild matches the records", match, "table sums == baseline sums")


# --- 2. incremental refresh -------------------------------------------------------------


@dataclass
class Change:
    """One hazard edit and what it replaced, so it can be undone."""

    hazard_id: int
    school_id: int
    before: dict


def change_one_hazard(tenant_id: int, school_id: int, rnd: random.Random) -> Change | None:
    """Rectify one open hazard of the school today, or move a deadline by a day; commit."""
    hazards = Hazard.__table__
    mine = [hazards.c.tenant_id == tenant_id, hazards.c.org_unit_id == school_id]
    columns = (
        hazards.c.id,
        hazards.c.status,
        hazards.c.rectified_on,
        hazards.c.deadline,
        hazards.c.updated_at,
    )
    candidates = db.session.execute(select(*columns).where(*mine, hazards.c.status.in_(OPEN_STATUSES))).all()
    candidates = (
        candidates or db.session.execute(select(*columns).where(*mine, hazards.c.deadline.isnot(None))).all()
    )
    if not candidates:
        return None
    row = rnd.choice(candidates)
    before = {"status": row.status, "rectified_on": row.rectified_on, "deadline": row.deadline}
    before["updated_at"] = row.updated_at
    now = datetime.now(UTC)
    if row.status in OPEN_STATUSES:
        after = {"status": "rectified", "rectified_on": make_scope(now=NOW).today, "updated_at": now}
    else:
        after = {"deadline": row.deadline + timedelta(days=1), "updated_at": now}
    db.session.execute(update(hazards).where(hazards.c.id == row.id).values(**after))
    db.session.commit()
    return Change(row.id, school_id, before)


def upsert_own_rows(tenant_id: int, school_id: int, months: list) -> None:
    """The baseline: recompute one unit's own rows and upsert them (no ancestors), then commit."""
    own = own_rows(make_scope(units=[school_id], now=NOW), months).subquery("own")
    statement = _insert(UnitMonth).from_select(
        list(KEYS + UNIT_FIGURES),
        select(literal(tenant_id), own.c.u, own.c.p, *(own.c[name] for name in UNIT_FIGURES)).where(true()),
    )
    statement = statement.on_conflict_do_update(
        index_elements=list(KEYS), set_={name: statement.excluded[name] for name in UNIT_FIGURES}
    )
    db.session.execute(statement)
    db.session.commit()


def refresh_and_commit(school_id: int) -> None:
    refresh_unit(db.session.get(OrgUnit, school_id), now=NOW)
    db.session.commit()


def categories_and_commit(school_id: int) -> None:
    """The school's central school's category detail (its own job, coalesced per central school)."""
    refresh_categories(category_owner(db.session.get(OrgUnit, school_id)), now=NOW)
    db.session.commit()


def undo(tenant_id: int, changes: list[Change]) -> None:
    """Put the changed hazards back and refresh their schools (untimed)."""
    hazards = Hazard.__table__
    for change in changes:
        db.session.execute(update(hazards).where(hazards.c.id == change.hazard_id).values(**change.before))
        db.session.commit()
        refresh_and_commit(change.school_id)
        categories_and_commit(change.school_id)


def bench_incremental(app, tenant_id: int, root_id: int, samples: int, seed: int, summary: Summary) -> None:
    print("\n== 2. incremental refresh of one school")
    rnd = random.Random(seed)
    with app.app_context(), tenant_context(tenant_id):
        school_ids = list(
            db.session.scalars(select(OrgUnit.id).where(OrgUnit.level == 3).order_by(OrgUnit.id))
        )
        months = months_to_cover(make_scope(now=NOW))  # tenant-wide: the baseline does not pay for it
        refresh_times, baseline_times, category_times, changes = [], [], [], []
        for index, school_id in enumerate(rnd.sample(school_ids, min(samples, len(school_ids)))):
            # The baseline writes the current own rows; before a change, or after refresh_unit wrote them.
            if index % 2 == 0:
                baseline_times.append(timed(upsert_own_rows, tenant_id, school_id, months))
            change = change_one_hazard(tenant_id, school_id, rnd)
            if change is not None:
                changes.append(change)
            refresh_times.append(timed(refresh_and_commit, school_id))
            category_times.append(timed(categories_and_commit, school_id))
            if index % 2 == 1:
                baseline_times.append(timed(upsert_own_rows, tenant_id, school_id, months))
        undo(tenant_id, changes)
        match = tables_match(run_baseline(tenant_id, root_id), table_sums(tenant_id))
    ratio = statistics.median(refresh_times) / statistics.median(baseline_times)
    median = median_ms(refresh_times)
    print(f"schools: {len(refresh_times)}, hazards changed: {len(changes)} (undone afterwards)")
    print(f"refresh_unit+commit ms: median {median:.1f}  p95 {p95_ms(refresh_times):.1f}")
    print(
        f"own-rows upsert+commit ms: median {median_ms(baseline_times):.1f}  p95 {p95_ms(baseline_times):.1f}"
    )
    print(
        f"central school's category detail (own job, coalesced 30 s) ms: median {median_ms(category_times):.1f}"
        f"  p95 {p95_ms(category_times):.1f}"
    )
    print(f"refresh_to_raw_ratio: {ratio:.2f} (target <= {MAX_REFRESH_RATIO:g})")
    print(f"tables after refresh + undo equal the records: {'yes' if match else 'NO'}")
    summary.check(
        "refresh_unit / own-rows upsert", ratio <= MAX_REFRESH_RATIO, f"{ratio:.2f} <= {MAX_REFRESH_RATIO:g}"
    )
    summary.check(
        "refresh_unit median", median <= MAX_REFRESH_MS, f"{median:.1f} ms <= {MAX_REFRESH_MS:g} ms"
    )
    summary.check("incremental path matches the records", match, "table sums == baseline sums")


# --- 3. HTTP under load ------------------------------------------------------------------


def vacuum_rollups(app) -> None:
    """On PostgreSQL, VACUUM ANALYZE the rollup tables, as autovacuum would after the rebuilds above.

    Every rebuild deletes and re-inserts all rows: without this the reads below would scan several
    dead copies of the tables and plan with the statistics of an empty table.
    """
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for model in (UnitMonth, CategoryMonth):
                connection.exec_driver_sql(f"VACUUM ANALYZE {model.__tablename__}")
    print("rollup tables vacuumed and analyzed")


def bench_user_credentials(app, tenant_id: int, root_id: int) -> tuple[str, str]:
    """A bureau_admin of the bench tenant (created once) → (API token, session cookie header).

    Written without the audited operations and signed in without the login form: both append to
    audit_events, which is append-only, and synthetic.drop_tenant refuses a tenant that has any.
    """
    from flask import session
    from flask_login import login_user

    from tenancy.auth.passwords import hash_password
    from tenancy.auth.sessions import issue_token, start_session
    from tenancy.models import ApiToken, RoleGrant, User

    with app.app_context(), tenant_context(tenant_id):
        user = db.session.scalar(select(User).where(User.username == BENCH_USER))
        if user is None:
            user = User(
                tenant_id=tenant_id, username=BENCH_USER, password_hash=hash_password(secrets.token_hex(16))
            )
            db.session.add(user)
            db.session.add(
                RoleGrant(tenant_id=tenant_id, user=user, role="bureau_admin", org_unit_id=root_id)
            )
        db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.name == TOKEN_NAME))
        _token, secret = issue_token(user, name=TOKEN_NAME)
        db.session.commit()
        environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT}
        with app.test_request_context(environ_base=environ):
            login_user(user)
            start_session(user)
            value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        return secret, f"{app.config['SESSION_COOKIE_NAME']}={value}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, secret_key: str, folder: Path):
    """Start gunicorn like bureau/launcher.py (2 workers, 4 threads); yield (port, master pid)."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        SAFEGRID_DATABASE_URL=database_url,
        SAFEGRID_REDIS_URL=REDIS_URL,
        SAFEGRID_INSTANCE_PATH=str(folder / "instance"),
        SAFEGRID_SECRET_KEY=secret_key,
    )
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    command += ["--threads", "4", "bureau.wsgi:app"]
    with open(folder / "gunicorn.log", "wb") as log:
        server = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(port, server)
            yield port, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see its log")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def get_once(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"User-Agent": USER_AGENT, **headers})
    response = connection.getresponse()
    return response.status, response.read()


@dataclass
class Load:
    """What the clients saw during the measured window."""

    latencies: list[float]
    errors: int
    seconds: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds


def load(port: int, path: str, headers: dict, clients: int, seconds: float) -> Load:
    """`clients` threads, each on its own keep-alive connection, GET `path` for `seconds`."""
    headers = {"User-Agent": USER_AGENT, **headers}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.perf_counter()
    stop = start + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, failed = [], 0
        while time.perf_counter() < stop:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()  # the server closed an idle keep-alive; reconnect
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                ok = False
            if ok:
                mine.append(time.perf_counter() - began)
            else:
                failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(latencies, errors[0], time.perf_counter() - start)


def worker_pids(master: int) -> list[int]:
    """The pids whose parent is the gunicorn master."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def vm_hwm_mb(pid: int | str = "self") -> float:
    """The peak resident set (VmHWM) of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) / 1024


def bench_http(app, args, tenant_id: int, root_id: int, secret_key: str, summary: Summary) -> None:
    print("\n== 3. HTTP under load")
    vacuum_rollups(app)
    token, cookie = bench_user_credentials(app, tenant_id, root_id)
    with app.app_context(), tenant_context(tenant_id):
        period = f"{make_scope(now=NOW).today:%Y-%m}"
    bearer = {"Authorization": f"Bearer {token}"}
    rollups = f"/api/v1/rollups?org_unit={root_id}&period={period}"
    endpoints = [
        ("healthz", "/healthz", {}),
        ("api_me", "/api/v1/me", bearer),
        ("rollups", rollups, bearer),
        ("rollups_children", rollups + "&children=1", bearer),
        ("dashboard", f"/dashboards/{root_id}", {"Cookie": cookie}),
    ]
    results: dict[str, Load] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        gunicorn(args.database_url, secret_key, Path(folder)) as server,
    ):
        port, master = server
        print(f"gunicorn on 127.0.0.1:{port}, {args.clients} clients, {args.duration:g} s per endpoint")
        print(
            f"{'endpoint':18} {'status':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6} {'bytes':>8}"
        )
        for name, path, headers in endpoints:
            status, body = get_once(port, path, headers)
            if status != 200:
                print(f"{name:18} {status:>6}  skipped: {path} answered {status}")
                continue
            load(port, path, headers, args.clients, WARMUP_SECONDS)
            result = results[name] = load(port, path, headers, args.clients, args.duration)
            print(
                f"{name:18} {status:>6} {result.throughput:8.1f} {median_ms(result.latencies):8.1f} "
                f"{p95_ms(result.latencies):8.1f} {result.errors:>6} {len(body):>8}"
            )
        workers = {pid: vm_hwm_mb(pid) for pid in worker_pids(master)}
        log_tail = (Path(folder) / "gunicorn.log").read_text(errors="replace").splitlines()[-5:]
    print("gunicorn workers VmHWM MB: " + ", ".join(f"{pid}: {mb:.0f}" for pid, mb in workers.items()))
    if any("Traceback" in line or "ERROR" in line for line in log_tail):
        print("gunicorn log tail:\n  " + "\n  ".join(log_tail))
    check_http(results, summary)


def check_http(results: dict[str, "Load"], summary: Summary) -> None:
    trivial = results.get("api_me")
    if trivial is None or not trivial.latencies:
        summary.check("HTTP", False, "/api/v1/me did not answer 200")
        return
    if "rollups" in results:
        ratio = results["rollups"].throughput / trivial.throughput
        print(f"rollups_throughput / api_me: {ratio:.2f} (target >= {MIN_API_THROUGHPUT_RATIO:g})")
        summary.check(
            "rollups throughput / trivial", ratio >= MIN_API_THROUGHPUT_RATIO, f"{ratio:.2f} >= 0.5"
        )
    else:
        summary.check("rollups throughput / trivial", False, "endpoint did not answer 200")
    if "rollups_children" in results:  # the issue's target is the plain call; this one is for information
        ratio = results["rollups_children"].throughput / trivial.throughput
        print(f"rollups_children_throughput / api_me: {ratio:.2f} (no target)")
    if "dashboard" in results:
        ratio = p95_ms(results["dashboard"].latencies) / p95_ms(trivial.latencies)
        print(f"dashboard_p95 / api_me_p95: {ratio:.2f} (target <= {MAX_DASHBOARD_P95_RATIO:g})")
        summary.check("dashboard p95 / trivial p95", ratio <= MAX_DASHBOARD_P95_RATIO, f"{ratio:.2f} <= 10")
    else:
        print("dashboard: /dashboards/<root id> does not answer 200 yet; not measured")
        summary.check("dashboard p95 / trivial p95", False, "/dashboards/<root id> not available")


# --- 4. peak memory of a rebuild ---------------------------------------------------------


def rebuild_child(database_url: str, tenant_id: int, secret_key: str) -> None:
    """(In the subprocess) rebuild once as a worker would and print the peak memory as JSON."""
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(database_url, Path(folder), secret_key)
        with app.app_context(), tenant_context(tenant_id):
            seconds = timed(rebuild_and_commit)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "ru_maxrss_mb": maxrss, "vm_hwm_mb": vm_hwm_mb()}))


def bench_rebuild_memory(database_url: str, tenant_id: int, secret_key: str) -> None:
    print("\n== 4. peak memory of a rebuild in its own process")
    command = [sys.executable, __file__, "--database-url", database_url, "--rebuild-child", str(tenant_id)]
    env = dict(os.environ, SAFEGRID_SECRET_KEY=secret_key)
    output = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    print(
        f"rebuild_all in a subprocess: {figures['seconds']:.2f} s, ru_maxrss {figures['ru_maxrss_mb']:.0f} MB, "
        f"VmHWM {figures['vm_hwm_mb']:.0f} MB"
    )


# --- command line ------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--database-url", default=POSTGRES_URL)
    options.add_argument("--code", default="bench", help="the tenant's code")
    for name in ("schools", "centrals", "hazards", "years"):
        options.add_argument(f"--{name}", type=int, help="default: by backend (see the top of the file)")
    options.add_argument("--reuse", action="store_true", help="keep an existing tenant with that code")
    options.add_argument("--skip-http", action="store_true")
    options.add_argument("--repeat", type=int, default=3, help="full rebuilds timed (median)")
    options.add_argument("--samples", type=int, default=50, help="schools refreshed one by one")
    options.add_argument("--clients", type=int, default=8)
    options.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    options.add_argument("--seed", type=int, default=7)
    options.add_argument("--rebuild-child", type=int, help=argparse.SUPPRESS)  # internal: section 4
    args = options.parse_args(argv)
    backend = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    for name, default in zip(("schools", "centrals", "hazards", "years"), SIZES[backend], strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    return args


def main(argv: list[str] | None = None) -> int:
    """Prepare the tenant, run the four measurements, print the summary."""
    args = parse_args(argv)
    secret_key = os.environ.get("SAFEGRID_SECRET_KEY") or secrets.token_hex(32)
    if args.rebuild_child is not None:
        rebuild_child(args.database_url, args.rebuild_child, secret_key)
        return 0
    summary = Summary()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(args.database_url, Path(folder), secret_key)
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI']}")
        print(
            f"sizes: {args.schools} schools, {args.centrals} centrals, {args.hazards} hazards, {args.years} years"
        )
        tenant_id = prepare_tenant(app, args)
        with app.app_context(), tenant_context(tenant_id):
            root_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.level == 1))
        bench_full(app, tenant_id, root_id, args.repeat, summary)
        bench_incremental(app, tenant_id, root_id, args.samples, args.seed, summary)
        if args.skip_http:
            print("\n== 3. HTTP under load: skipped (--skip-http)")
        else:
            bench_http(app, args, tenant_id, root_id, secret_key, summary)
        bench_rebuild_memory(args.database_url, tenant_id, secret_key)
        with app.app_context():
            db.engine.dispose()
    return 0 if summary.print() else 1


if __name__ == "__main__":
    sys.exit(main())
