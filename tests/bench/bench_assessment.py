"""Measure the annual assessment on a large synthetic tenant: compute a year, rescore, export.

Run: .venv/bin/python tests/bench/bench_assessment.py [--database-url URL] [--code bench] [--repeat 3]

The tenant comes from tests/bench/synthetic.py (build it with that script or bench_rollups.py;
default PostgreSQL sg_bench, 5,000 schools / 200 centrals / 1,000,000 hazards / 3 years). What the
synthetic tenant lacks for the assessment is added once (its drills mark it): per school 12 grid
cells with a staff member each as owner (1 cell in 20 without), a drill in 9 months of 10 over the
span, an upward responsibility letter per year (9 in 10 signed), and an incident per 5 schools a
year (1 in 8 late). The rollups are rebuilt when the tenant has none. Then it prints:

1. compute(): the previous year (whole) and the current year (a preview through today), median of
   --repeat, with the time of each source. Baseline measured in the same run: the raw reads of the
   same data — per school, the year's rollup rows summed, drills, incidents, grid cells and owners
   and letters counted by GROUP BY, fetched, nothing written or scored. The ratio is printed.
2. rescore(): what saving an entered score costs (scores, grades and ranks of every school again).
3. export: assessment_workbook() of the whole tenant, seconds and size.
4. peak memory (ru_maxrss) of this process.
No target is judged: issue 7 asks for the figures.
"""

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select  # noqa: E402

from bureau.assessment.export import assessment_workbook  # noqa: E402
from bureau.assessment.models import Result  # noqa: E402
from bureau.assessment.operations import compute, create_rubric, enter_score, rescore  # noqa: E402
from bureau.assessment.queries import rubric_of  # noqa: E402
from bureau.assessment.sources import FIGURES, SOURCES, Period  # noqa: E402
from bureau.rollups.models import UnitMonth  # noqa: E402
from bureau.rollups.refresh import rebuild_all  # noqa: E402
from schools.drills.models import Drill  # noqa: E402
from schools.grid.models import CellOwnership, GridCell, Staff  # noqa: E402
from schools.incidents.models import Incident  # noqa: E402
from schools.letters.models import Letter  # noqa: E402
from tenancy.extensions import db  # noqa: E402
from tenancy.models import OrgUnit, Tenant  # noqa: E402
from tenancy.scoping import tenant_context, tenant_root, unscoped  # noqa: E402
from tests.bench.synthetic import ZONE, insert_rows, vacuum  # noqa: E402

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/sg_bench"
CELLS = 12


def make_app(database_url: str, instance: Path):
    from bureau.app import create_app
    from tenancy.config import TestConfig

    return create_app(TestConfig(database_url, None, instance))


def add_safety_work(tenant_id: int, today: date, seed: int) -> None:
    """Grid, drills, letters and incidents for every school of the synthetic tenant (once)."""
    rnd = random.Random(seed)
    schools = db.session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.created_at).where(OrgUnit.level == 3)
    ).all()
    first_year = min(row.created_at for row in schools).astimezone(ZONE).year
    started = time.perf_counter()
    staff_ids = iter(range(_next_id(Staff), 10**9))
    cell_ids = iter(range(_next_id(GridCell), 10**9))
    staff, cells, owners = [], [], []
    opened = date(first_year, 1, 1)
    for school in schools:
        for number in range(CELLS):
            person, cell = next(staff_ids), next(cell_ids)
            staff.append((person, tenant_id, school.id, f"教师{number}", True))
            cells.append((cell, tenant_id, school.id, f"网格{number}", "area", True, opened))
            if rnd.random() >= 0.05:
                owners.append((tenant_id, school.id, cell, person, True, opened))
    insert_with_defaults(Staff.__table__, ("id", "tenant_id", "org_unit_id", "name", "is_active"), staff)
    insert_with_defaults(
        GridCell.__table__,
        ("id", "tenant_id", "org_unit_id", "name", "kind", "is_active", "opened_on"),
        cells,
    )
    insert_with_defaults(
        CellOwnership.__table__,
        ("tenant_id", "org_unit_id", "grid_cell_id", "staff_id", "is_primary", "starts_on"),
        owners,
    )
    drills, letters, incidents = [], [], []
    for school in schools:
        month = date(first_year, 1, 1)
        while month <= today:
            if rnd.random() < 0.9:
                held = month + timedelta(days=rnd.randrange(0, 27))
                if held <= today:
                    kind = rnd.choice(("fire", "earthquake", "evacuation", "evacuation"))
                    drills.append((tenant_id, school.id, held, kind, 300, 20))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        for year in range(first_year, today.year + 1):
            signed = rnd.random() < 0.9
            letters.append(
                (
                    tenant_id,
                    year,
                    "central_school",
                    school.parent_id,
                    school.id,
                    "",
                    "校长",
                    "signed" if signed else "issued",
                    date(year, 1, 10),
                    date(year, 1, 20) if signed else None,
                )
            )
            if rnd.random() < 0.2:
                occurred = datetime(year, rnd.randrange(1, 12), rnd.randrange(1, 28), 9, tzinfo=UTC)
                if occurred.date() <= today:
                    lag = rnd.choice((75, 90, 180)) if rnd.random() < 0.125 else rnd.randrange(10, 60)
                    incidents.append(
                        (
                            tenant_id,
                            school.id,
                            occurred,
                            occurred + timedelta(minutes=lag),
                            lag,
                            "injury",
                            "general",
                            "操场",
                            "学生摔伤",
                            0,
                            0,
                            1,
                            "closed",
                            False,
                        )
                    )
    insert_with_defaults(
        Drill.__table__,
        ("tenant_id", "org_unit_id", "held_on", "kind", "participants", "duration_minutes"),
        drills,
    )
    insert_with_defaults(
        Letter.__table__,
        (
            "tenant_id",
            "year",
            "tier",
            "issuer_unit_id",
            "org_unit_id",
            "signer_label",
            "signer_post",
            "status",
            "issued_on",
            "signed_on",
        ),
        letters,
    )
    insert_with_defaults(
        Incident.__table__,
        (
            "tenant_id",
            "org_unit_id",
            "occurred_at",
            "reported_at",
            "lag_minutes",
            "kind",
            "severity",
            "place",
            "summary",
            "deaths",
            "serious_injuries",
            "minor_injuries",
            "status",
            "is_responsibility_accident",
        ),
        incidents,
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # a live database has planner statistics
        vacuum(model.__tablename__ for model in (Staff, GridCell, CellOwnership, Drill, Letter, Incident))
    print(
        f"added: {len(cells)} grid cells, {len(owners)} owners, {len(drills)} drills, {len(letters)} letters, "
        f"{len(incidents)} incidents in {time.perf_counter() - started:.1f} s"
    )


def insert_with_defaults(table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """insert_rows (COPY on PostgreSQL skips the models' Python defaults), the defaults filled in."""
    extra = [c for c in table.c if c.name not in columns and c.default is not None and not c.primary_key]
    values = [c.default.arg(None) if callable(c.default.arg) else c.default.arg for c in extra]
    insert_rows(table, columns + tuple(c.name for c in extra), [row + tuple(values) for row in rows])


def _next_id(model) -> int:
    with unscoped():
        return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def raw_reads(year: int, last: date) -> float:
    """The baseline: the same data read per school by GROUP BY, nothing scored or written."""
    started = time.perf_counter()
    first = date(year, 1, 1)
    queries = [
        select(UnitMonth.org_unit_id, *(func.sum(getattr(UnitMonth, name)) for name in FIGURES))
        .where(UnitMonth.period >= date(year - 1, 12, 1), UnitMonth.period <= last)
        .group_by(UnitMonth.org_unit_id),
        select(Drill.org_unit_id, Drill.kind, func.count())
        .where(Drill.held_on >= first - timedelta(days=366), Drill.held_on <= last)
        .group_by(Drill.org_unit_id, Drill.kind),
        select(Incident.org_unit_id, func.count(), func.sum(Incident.lag_minutes))
        .where(Incident.occurred_at >= datetime(year, 1, 1, tzinfo=UTC))
        .group_by(Incident.org_unit_id),
        select(GridCell.org_unit_id, func.count())
        .where(GridCell.opened_on <= last)
        .group_by(GridCell.org_unit_id),
        select(CellOwnership.org_unit_id, func.count())
        .where(CellOwnership.starts_on <= last)
        .group_by(CellOwnership.org_unit_id),
        select(Letter.org_unit_id, Letter.status, func.count())
        .where(Letter.year == year)
        .group_by(Letter.org_unit_id, Letter.status),
    ]
    for query in queries:
        db.session.execute(query).all()
    db.session.commit()
    return time.perf_counter() - started


def timed_sources(year: int, last: date, today: date) -> dict[str, float]:
    schools = db.session.scalars(select(OrgUnit).where(OrgUnit.level == 3, OrgUnit.is_active)).all()
    period = Period(year=year, last=last, today=today)
    seconds = {}
    for code, source in SOURCES.items():
        started = time.perf_counter()
        source.collect(schools, period)
        seconds[code] = time.perf_counter() - started
    db.session.rollback()
    return seconds


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--database-url", default=POSTGRES_URL)
    options.add_argument("--code", default="bench")
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--seed", type=int, default=7)
    args = options.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(args.database_url, Path(folder))
        with app.app_context(), app.test_request_context():
            db.create_all()
            with unscoped():
                tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.code == args.code))
            if tenant_id is None:
                print(f"no tenant {args.code!r}: build it with tests/bench/synthetic.py first")
                return 2
            today = datetime.now(ZONE).date()
            with tenant_context(tenant_id):
                schools = db.session.scalar(select(func.count()).where(OrgUnit.level == 3))
                print(
                    f"database: {app.config['SQLALCHEMY_DATABASE_URI']}; tenant {args.code!r}: {schools} schools"
                )
                if not db.session.scalar(select(func.count()).select_from(Drill)):
                    add_safety_work(tenant_id, today, args.seed)
                if not db.session.scalar(select(func.count()).select_from(UnitMonth)):
                    started = time.perf_counter()
                    rebuild_all()
                    db.session.commit()
                    print(f"rollups rebuilt in {time.perf_counter() - started:.1f} s")
                print("\n== 1. compute")
                for year in (today.year - 1, today.year):
                    last = min(date(year, 12, 31), today)
                    rubric = rubric_of(year) or create_rubric(year)
                    db.session.commit()
                    runs, raws = [], []
                    for _ in range(args.repeat):
                        raws.append(raw_reads(year, last))
                        started = time.perf_counter()
                        compute(rubric, today)
                        db.session.commit()
                        runs.append(time.perf_counter() - started)
                    sources = timed_sources(year, last, today)
                    print(
                        f"{year} through {last}: compute {median(runs):.2f} s (runs {', '.join(f'{r:.2f}' for r in runs)});"
                        f" raw reads {median(raws):.2f} s; ratio {median(runs) / median(raws):.1f}x"
                    )
                    print(
                        "   sources: "
                        + ", ".join(f"{code} {seconds:.2f} s" for code, seconds in sources.items())
                    )
                print("\n== 2. rescore after one entered score")
                rubric = rubric_of(today.year)
                school = db.session.scalar(select(OrgUnit).where(OrgUnit.level == 3).limit(1))
                samples = []
                for value in (80, 85, 90):
                    started = time.perf_counter()
                    enter_score(rubric.indicator("inspection"), school, value, "bench")
                    rescore(rubric)
                    db.session.commit()
                    samples.append(time.perf_counter() - started)
                print(f"enter + rescore + commit: median {median(samples):.2f} s")
                print("\n== 3. export")
                started = time.perf_counter()
                data = assessment_workbook(rubric, tenant_root())
                results = db.session.scalar(select(func.count()).where(Result.rubric_id == rubric.id))
                print(
                    f"workbook of {results} schools: {time.perf_counter() - started:.2f} s, {len(data) / 1024:.0f} KB"
                )
                db.session.rollback()
        with app.app_context():
            db.engine.dispose()
    print(f"\n== 4. peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
