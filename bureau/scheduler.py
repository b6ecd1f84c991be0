"""The scheduler process: writes each tenant's periodic jobs into the outbox, once per period.

Periods are computed in the tenant's time zone ("every day at 01:30" means 01:30 in
Beijing, not UTC). A tick is written with a unique once_key, so running two schedulers by
mistake, or restarting one, never runs a period twice; a scheduler that was down catches
up with the current period when it starts. Each loop also runs the outbox reconciler.
"""

import logging
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tenancy.extensions import db
from tenancy.jobs import SCHEDULES, Schedule, reconcile, submit
from tenancy.models import Tenant, utcnow
from tenancy.scoping import tenant_context, unscoped
from tenancy.settings.store import tenant_timezone

log = logging.getLogger(__name__)


def due_period(spec: Schedule, local: datetime) -> str | None:
    """Return the period a schedule is due for at local time `local`, or None before its time."""
    if spec.every == "day":
        if (local.hour, local.minute) < (spec.at_hour, spec.at_minute):
            return None
        return local.date().isoformat()
    if spec.every == "hour":
        return None if local.minute < spec.at_minute else local.strftime("%Y-%m-%dT%H")
    raise ValueError(f"unknown period {spec.every!r}")


def tick(now: datetime | None = None) -> int:
    """Write every due, not yet written schedule tick of every tenant; return how many were new."""
    now = now or utcnow()
    written = 0
    with unscoped():
        tenant_ids = db.session.scalars(select(Tenant.id).where(Tenant.is_active)).all()
    for tenant_id in tenant_ids:
        with tenant_context(tenant_id):
            local = now.astimezone(tenant_timezone())
            for spec in SCHEDULES.values():
                period = due_period(spec, local)
                if period is None:
                    continue
                try:
                    submit(spec.job, key=f"schedule:{spec.id}", once_key=f"{spec.id}:{period}", **spec.args)
                    db.session.commit()
                    written += 1
                except IntegrityError:
                    db.session.rollback()  # this period was already written
    return written


def run_scheduler(app, *, once: bool = False, interval: float = 20.0) -> None:
    """Loop: write due ticks and reconcile the outbox, every `interval` seconds."""
    log.info("scheduler started with %d schedule(s): %s", len(SCHEDULES), ", ".join(sorted(SCHEDULES)))
    while True:
        with app.app_context():
            try:
                written, requeued = tick(), reconcile()
                if written or requeued:
                    log.info("scheduler: %d tick(s) written, %d key(s) re-enqueued", written, requeued)
            except Exception:  # keep scheduling through a passing database or Redis fault
                log.exception("scheduler loop failed; retrying")
                db.session.rollback()
        if once:
            return
        time.sleep(interval)
