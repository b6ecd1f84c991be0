"""Writes to hazards: report, edit, take a lifecycle step, attach evidence. Never commits."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES
from schools.hazards.lifecycle import STEPS
from schools.hazards.models import Hazard, HazardEvent
from schools.units import refresh_flags_later
from tenancy import audit
from tenancy.audit import current_actor
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_root

EDITABLE = (
    "found_on",
    "source",
    "grid_cell_id",
    "location",
    "category",
    "level",
    "description",
    "measures",
    "responsible",
    "deadline",
    "remark",
)


class HazardError(ValueError):
    """A hazard change that breaks a rule; `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class HazardInput:
    found_on: date
    location: str
    category: str
    description: str
    level: str = "general"
    source: str = "daily"
    grid_cell_id: int | None = None
    measures: str | None = None
    responsible: str | None = None
    deadline: date | None = None
    remark: str | None = None


def _check(values: dict, school: OrgUnit) -> None:
    """Refuse values that break the ledger's rules, naming the field."""
    if "category" in values and values["category"] not in CATEGORIES:
        raise HazardError(_("Unknown category '%(value)s'.", value=values["category"]), "category")
    if "level" in values and values["level"] not in LEVELS:
        raise HazardError(_("Unknown level '%(value)s'.", value=values["level"]), "level")
    if "source" in values and values["source"] not in SOURCES:
        raise HazardError(_("Unknown source '%(value)s'.", value=values["source"]), "source")
    for field, limit in (("location", 200), ("description", 2000)):
        if field in values and not (values[field] or "").strip():
            raise HazardError(_("This field is required."), field)
        if field in values and len(values[field]) > limit:
            raise HazardError(_("At most %(n)d characters.", n=limit), field)
    found_on, deadline = values.get("found_on"), values.get("deadline")
    if found_on is not None and deadline is not None and deadline < found_on:
        raise HazardError(_("The deadline cannot be before the date found."), "deadline")
    if values.get("grid_cell_id") is not None:
        from schools.grid.models import GridCell

        cell = db.session.get(GridCell, values["grid_cell_id"])
        if cell is None or cell.org_unit_id != school.id:
            raise HazardError(_("Choose a grid cell of this school."), "grid_cell_id")


def escalation_target(school: OrgUnit, to_bureau: bool = False) -> OrgUnit:
    """Escalate to the school's central school, or to the bureau (always for directly-run schools)."""
    parent = school.parent
    if to_bureau or parent is None or parent.kind != "central":
        return tenant_root()
    return parent


def record_event(hazard: Hazard, action: str, from_status: str | None, note: str = "", changes=None) -> None:
    """Add a step to the hazard's history and to the audit trail."""
    user_id, actor, _roles, _org = current_actor()
    hazard.events.append(
        HazardEvent(
            tenant_id=hazard.tenant_id,
            user_id=user_id,
            actor=actor,
            action=action,
            from_status=from_status,
            to_status=hazard.status,
            note=note,
            changes=changes or {},
        )
    )
    audit.record(
        f"hazard.{action}", hazard, changes=changes or {}, summary=f"{hazard.seq or ''} {note}"[:255]
    )
    refresh_flags_later(hazard.org_unit_id)


def next_seq(school: OrgUnit, year: int) -> str:
    """Return the next sequence number of the school's ledger for a year."""
    rows = db.session.scalars(
        select(Hazard.seq).where(
            Hazard.org_unit_id == school.id,
            Hazard.found_on >= date(year, 1, 1),
            Hazard.found_on <= date(year, 12, 31),
        )
    )
    numbers = [int(seq) for seq in rows if seq and seq.isdigit()]
    return str(max(numbers, default=0) + 1)


def report_hazard(school: OrgUnit, data: HazardInput, user=None) -> Hazard:
    """Record a new hazard; a major one goes straight to the bureau for supervision."""
    values = {key: getattr(data, key) for key in EDITABLE}
    _check(values, school)
    hazard = Hazard(
        tenant_id=school.tenant_id,
        org_unit_id=school.id,
        recorded_parent_id=school.parent_id,
        seq=next_seq(school, data.found_on.year),
        status="open",
        reported_by_id=getattr(user, "id", None),
        **values,
    )
    hazard.location, hazard.description = hazard.location.strip(), hazard.description.strip()
    db.session.add(hazard)
    db.session.flush()
    record_event(hazard, "report", None, changes=audit.snapshot(hazard))
    _escalate_if_major(hazard)
    return hazard


def _escalate_if_major(hazard: Hazard) -> None:
    if hazard.level == "major" and hazard.status in ("open", "rectifying"):
        before = hazard.status
        hazard.status = "escalated"
        hazard.escalated_to_id = tenant_root().id
        record_event(hazard, "escalate", before, _("Major hazard: reported to the bureau for supervision."))


def update_hazard(hazard: Hazard, values: dict) -> Hazard:
    """Change a hazard's recorded facts (not its status); every change is kept in its history."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise HazardError(
            _("These fields cannot be changed here: %(names)s.", names=", ".join(sorted(unknown)))
        )
    _check(values, hazard.school)
    for key, value in values.items():
        setattr(hazard, key, value.strip() if isinstance(value, str) else value)
    changes = audit.pending_changes(hazard)
    changes.pop("updated_at", None)
    if changes:
        record_event(hazard, "edit", hazard.status, changes=changes)
        _escalate_if_major(hazard)
    return hazard


def take_step(
    hazard: Hazard,
    name: str,
    capacities: set[str],
    *,
    user=None,
    note: str = "",
    on: date | None = None,
    to_bureau: bool = False,
) -> Hazard:
    """Move a hazard along its lifecycle, if the step is legal and the user may take it."""
    step = STEPS.get(name)
    if step is None:
        raise HazardError(_("Unknown step '%(value)s'.", value=name), "step")
    if hazard.status not in step.sources:
        raise HazardError(
            _(
                "A hazard that is %(status)s cannot take the step '%(step)s'.",
                status=STATUSES[hazard.status],
                step=step.label,
            ),
            "step",
        )
    if not capacities & step.actors:
        raise PermissionError(name)
    note = (note or "").strip()
    if step.needs_note and not note:
        raise HazardError(_("Say why: a note is required for this step."), "note")
    user_id = getattr(user, "id", None)
    if name == "verify" and user_id is not None and hazard.rectified_by_id == user_id:
        raise HazardError(
            _("Verification must be done by someone other than the person who rectified it."), "step"
        )
    if name == "forward" and (hazard.escalated_to_id is None or hazard.escalated_to_id == tenant_root().id):
        raise HazardError(_("This hazard is already with the bureau; there is no level above it."), "step")
    before = hazard.status
    hazard.status = step.target
    if name in ("rectify", "resolve"):
        hazard.rectified_on = on or hazard.rectified_on
        if hazard.rectified_on is None:
            raise HazardError(_("Give the date it was rectified."), "on")
        if hazard.rectified_on < hazard.found_on:
            raise HazardError(_("It cannot be rectified before it was found."), "on")
        hazard.rectified_by_id = user_id
    elif name == "verify":
        hazard.verified_on = on
        if hazard.verified_on is None:
            raise HazardError(_("Give the date of the re-check."), "on")
        hazard.verifier_id, hazard.verification = user_id, note or hazard.verification
        hazard.verified_by = getattr(user, "display_name", None) or hazard.verified_by
    elif name == "escalate":
        hazard.escalated_to_id = escalation_target(hazard.school, to_bureau).id
    elif name == "forward":
        hazard.escalated_to_id = tenant_root().id
    elif name == "reject":
        hazard.rectified_on, hazard.rectified_by_id = None, None
    changes = audit.pending_changes(hazard)
    changes.pop("updated_at", None)
    record_event(hazard, name, before, note, changes)
    return hazard
