"""Jobs of the rollups: refresh one unit after a change, rebuild everything nightly.

A school's change reaches the rollups through its flags job (bureau/flags/tasks.py), which
submits "rollups.refresh_unit" keyed rollups:<unit id> once the flags are current, so a
burst of changes is one refresh (coalesced three seconds); it then asks for the category
detail of the school's central school, coalesced thirty seconds per central school. Moving or closing a unit
refreshes the units whose subtrees changed; changing the tenant's time zone or report due
day rebuilds everything. The nightly rebuild after the flags' nightly
pass brings in what only the calendar changes: hazards that went overdue, reports that
fell due, a new month.
"""

from bureau.rollups.refresh import category_owner, rebuild_all, refresh_categories, refresh_unit
from tenancy.extensions import db
from tenancy.jobs import Schedule, job, schedule, submit
from tenancy.models import OrgUnit
from tenancy.orgs.operations import units_changed
from tenancy.scoping import current_tenant_id
from tenancy.settings.store import setting_changed


def _unit(org_unit_id: int) -> OrgUnit | None:
    unit = db.session.get(OrgUnit, org_unit_id)
    return unit if unit is not None and unit.tenant_id == current_tenant_id() else None


@job("rollups.refresh_unit", queue="rollups", coalesce_seconds=3)
def refresh_unit_job(org_unit_id: int) -> None:
    """Recompute one unit's rollup rows, carry the difference to its ancestors, ask for its categories."""
    unit = _unit(org_unit_id)
    if unit is not None:
        refresh_unit(unit)
        owner = category_owner(unit)
        submit("rollups.refresh_categories", key=f"categories:{owner.id}", org_unit_id=owner.id)


@job("rollups.refresh_categories", queue="rollups", coalesce_seconds=30)
def refresh_categories_job(org_unit_id: int) -> None:
    """Recompute a level-2 unit's category detail (the bureau's heatmap reads it)."""
    unit = _unit(org_unit_id)
    if unit is not None:
        refresh_categories(unit)


@job("rollups.rebuild", queue="rollups")
def rebuild_job() -> None:
    """Recompute every rollup row of the tenant from the records."""
    rebuild_all()


def refresh_rollups_later(unit_id: int) -> None:
    """Have one unit's rollups refreshed after this transaction commits (coalesced per unit)."""
    submit("rollups.refresh_unit", key=f"rollups:{unit_id}", org_unit_id=unit_id)


@units_changed.connect
def _units_changed(_sender, unit_ids: list[int], **_extra) -> None:
    for unit_id in unit_ids:
        refresh_rollups_later(unit_id)


@setting_changed.connect
def _setting_changed(_sender, key: str, **_extra) -> None:
    if key in ("timezone", "report_due_day"):  # months and due times move: recompute everything
        submit("rollups.rebuild", key="rollups:all")


schedule(Schedule("rollups-nightly", "rollups.rebuild", "day", at_hour=0, at_minute=45))
