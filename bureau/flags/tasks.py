"""Jobs of the flags: recompute one school after a change, every school on a schedule, the daily digest.

A change to a school's hazards, ledger, grid, reports or notices submits "flags.refresh_unit"
with the key flags:<school id>, so a burst of changes within two seconds is one run; it then
asks for the school's rollups (bureau/rollups/tasks.py), which count its flags too. The
schedules run in the tenant's local time: hourly (a deadline passes at the end of a local
day, and "today" moves for blind spots and overdue hazards), a nightly full pass after
midnight, and the inbox digest at 07:00.
"""

from bureau.flags.inbox import send_daily_digests
from bureau.flags.operations import refresh_all, refresh_unit
from bureau.rollups.tasks import refresh_rollups_later
from tenancy.extensions import db
from tenancy.jobs import Schedule, job, schedule
from tenancy.models import OrgUnit
from tenancy.scoping import current_tenant_id


@job("flags.refresh_unit", coalesce_seconds=2)
def refresh_unit_job(org_unit_id: int) -> None:
    """Recompute the flags of one unit (a school whose data changed), then its rollups."""
    unit = db.session.get(OrgUnit, org_unit_id)
    if unit is not None and unit.tenant_id == current_tenant_id():
        refresh_unit(unit)
        refresh_rollups_later(unit.id)


@job("flags.refresh_all")
def refresh_all_job() -> None:
    """Recompute the flags of every unit of the tenant; refresh the rollups of units whose flags changed."""
    for unit_id in sorted(refresh_all().units):
        refresh_rollups_later(unit_id)


@job("inbox.daily_digest")
def daily_digest_job() -> None:
    """Write today's inbox digest for every user with something new."""
    send_daily_digests()


schedule(Schedule("flags-nightly", "flags.refresh_all", "day", at_hour=0, at_minute=30))
schedule(Schedule("flags-hourly", "flags.refresh_all", "hour", at_minute=1))
schedule(Schedule("inbox-digest", "inbox.daily_digest", "day", at_hour=7, at_minute=0))
