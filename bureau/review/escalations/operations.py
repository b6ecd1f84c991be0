"""Writes of the escalation queue: coordination notes and the receiver's steps. Never commits."""

from datetime import date

from flask_babel import gettext as _

from schools.hazards import operations as hazard_operations
from schools.hazards.lifecycle import RECEIVER
from schools.hazards.models import Hazard
from schools.hazards.operations import HazardError, record_event

QUEUE_STEPS = ("resolve", "send_back", "forward")
NOTE_MAX = 2000


def coordinate(hazard: Hazard, note: str, capacities: set[str]) -> Hazard:
    """Record how the receiving level is coordinating an escalated hazard (its status does not change)."""
    if RECEIVER not in capacities:
        raise PermissionError("coordinate")
    if hazard.status != "escalated":
        raise HazardError(
            _("Only a hazard waiting in the escalation queue takes coordination notes."), "note"
        )
    note = (note or "").strip()
    if not note:
        raise HazardError(_("Write the coordination note."), "note")
    if len(note) > NOTE_MAX:
        raise HazardError(_("At most %(n)d characters.", n=NOTE_MAX), "note")
    record_event(hazard, "coordinate", hazard.status, note)
    return hazard


def take_step(
    hazard: Hazard, name: str, capacities: set[str], *, user=None, note: str = "", on: date | None = None
) -> Hazard:
    """Resolve, send back or forward an escalated hazard as its receiving level."""
    if name not in QUEUE_STEPS:
        raise HazardError(_("Unknown step '%(value)s'.", value=name), "step")
    if RECEIVER not in capacities:
        raise PermissionError(name)
    if note and len(note) > NOTE_MAX:
        raise HazardError(_("At most %(n)d characters.", n=NOTE_MAX), "note")
    # The hazard step itself asks the flags engine to recompute the school.
    hazard_operations.take_step(hazard, name, capacities & {RECEIVER}, user=user, note=note, on=on)
    return hazard
