"""Writes of flags: raise what should be open, clear what no longer is, keep the history. Never commits.

A refresh compares the flags compute.py expects with the open ones: a new problem is raised
(raised_at = now), a resolved one is cleared (cleared_at = now), an open one that is still
true stays as it is (its details follow the data, e.g. a hazard's changed deadline). Flags are
never deleted, so a problem that comes back is a new flag and the old one stays in history.
Running a refresh twice changes nothing the second time.

Flags are computed, not user writes, so they leave no audit events. Two refreshes of the same
unit at once (a change's job and the hourly one) are serialized by locking the units' rows
(FOR UPDATE on PostgreSQL; SQLite writes one transaction at a time), and a duplicate open flag
that slipped through anyway is cleared by the next refresh.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bureau.flags.compute import COMPUTED_KINDS, Expected, expected_flags
from bureau.flags.models import Flag
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow

log = logging.getLogger(__name__)


@dataclass
class FlagChanges:
    """What a refresh did."""

    raised: int = 0
    cleared: int = 0
    updated: int = 0
    units: set[int] = field(default_factory=set)  # units with a flag raised or cleared

    @property
    def changed(self) -> bool:
        return bool(self.raised or self.cleared or self.updated)


def refresh_unit(unit: OrgUnit, now: datetime | None = None) -> FlagChanges:
    """Bring one unit's open flags in line with its data at `now` (default: the current time)."""
    now = now or utcnow()
    db.session.execute(select(OrgUnit.id).where(OrgUnit.id == unit.id).with_for_update())
    changes = _reconcile(expected_flags([unit], now), now, unit_ids=[unit.id])
    log.debug("flags of %s: %s", unit.code, changes)
    return changes


def refresh_all(now: datetime | None = None) -> FlagChanges:
    """Bring the open flags of every unit of the current tenant in line with the data."""
    now = now or utcnow()
    units = db.session.scalars(select(OrgUnit).order_by(OrgUnit.id).with_for_update()).all()
    changes = _reconcile(expected_flags(units, now), now, unit_ids=None)
    log.info("flags refreshed for %d unit(s): %s", len(units), changes)
    return changes


def _reconcile(expected: Expected, now: datetime, unit_ids: list[int] | None) -> FlagChanges:
    """Raise, clear and update flags so the open ones are exactly `expected` (unit_ids None: all units)."""
    query = select(Flag).where(Flag.cleared_at.is_(None), Flag.kind.in_(COMPUTED_KINDS)).order_by(Flag.id)
    if unit_ids is not None:
        query = query.where(Flag.org_unit_id.in_(unit_ids))
    changes = FlagChanges()
    kept: set[tuple[int, str, str]] = set()
    for flag in db.session.scalars(query):
        identity = (flag.org_unit_id, flag.kind, flag.subject)
        details = expected.get(flag.org_unit_id, {}).get((flag.kind, flag.subject))
        if details is None or identity in kept:  # resolved, or a duplicate of an open flag
            flag.cleared_at = now
            changes.cleared += 1
            changes.units.add(flag.org_unit_id)
            continue
        kept.add(identity)
        if flag.details != details:
            flag.details = details
            changes.updated += 1
    for unit_id, wanted in expected.items():
        for (kind, subject), details in wanted.items():
            if (unit_id, kind, subject) not in kept:
                db.session.add(
                    Flag(org_unit_id=unit_id, kind=kind, subject=subject, details=details, raised_at=now)
                )
                changes.raised += 1
                changes.units.add(unit_id)
    db.session.flush()
    return changes
