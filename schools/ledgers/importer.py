"""Import a parsed ledger into a school's hazards: match, preview, then write all or nothing.

Rows are matched to existing hazards by school + sequence number + date found +
description, so uploading the same ledger again (or a later version of it) updates
hazards instead of duplicating them.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from schools.hazards.models import Hazard, HazardEvent, LedgerImport
from schools.hazards.operations import escalation_target
from schools.ledgers.parser import LedgerParse, LedgerRow, parse_ledger
from schools.units import refresh_flags_later
from tenancy import audit
from tenancy.audit import current_actor
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.scoping import tenant_root

# Ledger fields copied onto a hazard, in the order the preview shows them.
FIELDS = (
    "found_on",
    "source",
    "location",
    "category",
    "category_inferred",
    "level",
    "description",
    "measures",
    "responsible",
    "deadline",
    "rectified_on",
    "status",
    "verification",
    "verified_by",
    "remark",
)


@dataclass
class PlannedRow:
    row: LedgerRow
    action: str  # create, update or unchanged
    hazard_id: int | None = None
    changes: dict = field(default_factory=dict)


@dataclass
class LedgerPlan:
    parse: LedgerParse
    rows: list[PlannedRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for planned in self.rows:
            counts[planned.action] += 1
        counts["errors"] = len(self.parse.errors)
        return counts


def hazard_values(row: LedgerRow, school: OrgUnit, bureau: OrgUnit) -> dict:
    """Turn a ledger row into hazard column values, applying the escalation rules."""
    values = {name: getattr(row, name) for name in FIELDS}
    values["seq"] = row.seq
    values["source"] = row.source or "other"
    values["category"] = row.category or "other"  # inferred but ambiguous: 'other', marked inferred
    values["escalated_to_id"] = None  # every row has the same keys, so the INSERT is one batch
    if row.status == "escalated":
        values["escalated_to_id"] = escalation_target(school).id
    if row.level == "major" and row.status in ("open", "rectifying", "escalated"):
        # A major hazard goes to the bureau when recorded and stays supervised until verified.
        values["status"], values["escalated_to_id"] = "escalated", bureau.id
    return values


def _match_key(seq, found_on, description) -> tuple:
    return (seq or "", found_on, (description or "").strip())


def plan_ledger_import(parse: LedgerParse, school: OrgUnit) -> LedgerPlan:
    """Match parsed rows against the school's hazards; writes nothing."""
    plan = LedgerPlan(parse)
    if parse.refused:
        return plan
    existing = {
        _match_key(h.seq, h.found_on, h.description): h
        for h in db.session.scalars(select(Hazard).where(Hazard.org_unit_id == school.id))
    }
    bureau = tenant_root()
    seen: set[tuple] = set()
    for row in parse.rows:
        key = _match_key(row.seq, row.found_on, row.description)
        hazard = existing.get(key)
        if key in seen or hazard is None:
            plan.rows.append(PlannedRow(row, "create"))
        else:
            values = hazard_values(row, school, bureau)
            changes = {
                name: {"before": audit.plain(getattr(hazard, name)), "after": audit.plain(value)}
                for name, value in values.items()
                if getattr(hazard, name) != value and name != "escalated_to_id"
            }
            plan.rows.append(PlannedRow(row, "update" if changes else "unchanged", hazard.id, changes))
        seen.add(key)
    return plan


def apply_ledger_import(plan: LedgerPlan, school: OrgUnit, data: bytes) -> LedgerImport:
    """Write every planned row in the current transaction (the caller commits once)."""
    if plan.parse.refused:
        raise ValueError("a refused ledger cannot be imported")
    user_id, actor, _roles, _org = current_actor()
    counts = plan.counts
    record = LedgerImport(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        filename=plan.parse.file,
        sha256=hashlib.sha256(data).hexdigest(),
        created_by_id=user_id,
        created_count=counts["create"],
        updated_count=counts["update"],
        unchanged_count=counts["unchanged"],
        error_count=counts["errors"],
    )
    db.session.add(record)
    db.session.flush()
    bureau, now = tenant_root(), utcnow()
    new_rows = [
        {
            **hazard_values(p.row, school, bureau),
            "tenant_id": school.tenant_id,
            "org_unit_id": school.id,
            "recorded_parent_id": school.parent_id,
            "ledger_import_id": record.id,
            "reported_by_id": user_id,
            "created_at": now,
            "updated_at": now,  # given, so no per-row default and one batched INSERT
        }
        for p in plan.rows
        if p.action == "create"
    ]
    if new_rows:
        # One Core executemany with identical keys in every row: a 20,000-row ledger must not
        # become 20,000 ORM round trips. tenant_id is set explicitly above.
        db.session.execute(Hazard.__table__.insert(), new_rows)
    for planned in plan.rows:
        if planned.action != "update":
            continue
        hazard = db.session.get(Hazard, planned.hazard_id)
        before = hazard.status
        for name, value in hazard_values(planned.row, school, bureau).items():
            setattr(hazard, name, value)
        hazard.ledger_import_id = record.id
        hazard.events.append(
            HazardEvent(
                tenant_id=hazard.tenant_id,
                user_id=user_id,
                actor=actor,
                action="import",
                from_status=before,
                to_status=hazard.status,
                note=plan.parse.file,
                changes=planned.changes,
            )
        )
        audit.record("hazard.import_update", hazard, changes=planned.changes, summary=plan.parse.file)
    audit.record(
        "ledger.import",
        record,
        changes={k: {"before": None, "after": v} for k, v in counts.items()},
        summary=f"{school.code} {plan.parse.file}",
    )
    refresh_flags_later(school.id)
    return record


def import_ledger_file(path: Path, school: OrgUnit, *, filename: str | None = None, dry_run: bool = False):
    """Parse, plan and (unless dry_run) apply a ledger file; return (plan, import record or None)."""
    parse = parse_ledger(path, filename=filename)
    plan = plan_ledger_import(parse, school)
    if dry_run or parse.refused:
        return plan, None
    return plan, apply_ledger_import(plan, school, Path(path).read_bytes())
