"""`safegrid aggregate`: bring the rollups up to date now, without the worker."""

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from bureau.rollups.refresh import rebuild_all
from tenancy.cli import tenants_to_run
from tenancy.extensions import db
from tenancy.jobs import run_outbox
from tenancy.models import OutboxItem
from tenancy.scoping import tenant_context

JOBS = ("rollups.refresh_unit", "rollups.refresh_categories")  # unit rows first: they ask for categories


@click.command("aggregate")
@click.option("--tenant", "tenant_code", help="Tenant code (default: every active tenant).")
@click.option("--full", is_flag=True, help="Recompute every rollup row from the records.")
@with_appcontext
def aggregate_cli(tenant_code: str | None, full: bool) -> None:
    """Run the pending rollup refreshes now, or with --full recompute all rollups."""
    for tenant_id, code in tenants_to_run(tenant_code):
        started = time.perf_counter()
        with tenant_context(tenant_id):
            if full:
                result = rebuild_all()
                db.session.commit()
                done = f"{result.unit_rows} unit row(s), {result.category_rows} category row(s)"
            else:
                runs = 0
                for job in JOBS:  # in order: unit refreshes ask for category refreshes
                    keys = db.session.scalars(
                        select(OutboxItem.key)
                        .where(OutboxItem.job == job, OutboxItem.finished_at.is_(None))
                        .distinct()
                    ).all()
                    db.session.commit()
                    for key in keys:
                        run_outbox(tenant_id, job, key)
                    runs += len(keys)
                done = f"{runs} pending refresh(es) run"
        click.echo(f"{code}: {done} in {time.perf_counter() - started:.2f} s")
