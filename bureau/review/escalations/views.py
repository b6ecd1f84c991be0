"""The escalation queue: hazards waiting at the user's central school or bureau, and its actions."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bureau.review.escalations import operations
from bureau.review.escalations.forms import CoordinateForm, QueueStepForm
from bureau.review.escalations.queries import (
    LONG_WAIT_DAYS,
    arrived_at,
    days_waited,
    escalation_queue,
    receiving_units,
)
from schools.hazards import access
from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES
from schools.hazards.lifecycle import RECEIVER, STEPS
from schools.hazards.models import Hazard
from schools.hazards.operations import HazardError
from tenancy.extensions import db
from tenancy.scoping import get_scoped_or_404, tenant_root
from tenancy.settings.store import tenant_today
from tenancy.ui import int_arg, paginate
from tenancy.web import require

CODES = {"categories": CATEGORIES, "levels": LEVELS, "statuses": STATUSES, "sources": SOURCES}


@require("hazard.review")
def list_escalations():
    """Hazards escalated to my unit, the longest-waiting first, with how long each has waited."""
    units = receiving_units()
    if not units:
        abort(403)
    wanted = int_arg("unit", units[0].id, 0, 2**31 - 1)
    unit = next((u for u in units if u.id == wanted), units[0])
    today = tenant_today()
    page = paginate(escalation_queue(unit), scalars=False)
    rows = [(hazard, arrived, days_waited(arrived, today), notes) for hazard, arrived, notes in page.items]
    return render_template(
        "bureau/review/escalations/list.html",
        page=page,
        rows=rows,
        unit=unit,
        units=units,
        today=today,
        long_wait=LONG_WAIT_DAYS,
        **CODES,
    )


def _load(hazard_id: int) -> tuple[Hazard, set[str]]:
    """Load a hazard in scope (else 404) that the user receives as an escalation (else 403)."""
    hazard = get_scoped_or_404(Hazard, hazard_id)
    capacities = access.capacities(hazard)
    if RECEIVER not in capacities:
        abort(403)
    return hazard, capacities


def _render(hazard: Hazard, capacities: set[str], *, errors: dict | None = None, status: int = 200):
    today = tenant_today()
    since = arrived_at(hazard)
    waiting = hazard.status == "escalated"
    at_bureau = hazard.escalated_to_id == tenant_root().id
    steps = [
        STEPS[name] for name in operations.QUEUE_STEPS if waiting and not (name == "forward" and at_bureau)
    ]
    return render_template(
        "bureau/review/escalations/detail.html",
        hazard=hazard,
        waiting=waiting,
        since=since,
        waited=days_waited(since, today),
        steps=steps,
        errors=errors or {},
        values=request.form if request.method == "POST" else {},
        today=today,
        long_wait=LONG_WAIT_DAYS,
        **CODES,
    ), status


@require("hazard.review")
def show_escalation(hazard_id: int):
    """One escalated hazard: its facts, evidence, history and coordination notes, and the actions."""
    hazard, capacities = _load(hazard_id)
    return _render(hazard, capacities)


@require("hazard.review")
def add_note(hazard_id: int):
    """Record a coordination note (who was contacted, what was agreed)."""
    hazard, capacities = _load(hazard_id)
    form = CoordinateForm()
    if not form.validate_on_submit():
        return _render(
            hazard, capacities, errors={"note": _("The form could not be read; try again.")}, status=400
        )
    try:
        operations.coordinate(hazard, form.note.data or "", capacities)
        db.session.commit()
    except HazardError as error:
        db.session.rollback()
        return _render(hazard, capacities, errors={"note": str(error)}, status=400)
    flash(_("Coordination note recorded."), "success")
    return redirect(url_for("escalations.show_escalation", hazard_id=hazard.id))


@require("hazard.review")
def take_step(hazard_id: int):
    """Resolve, send back or forward an escalated hazard."""
    hazard, capacities = _load(hazard_id)
    form = QueueStepForm()
    name = form.step.data or ""
    if not form.validate_on_submit():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        message = problems[0] if problems else _("The form could not be read; try again.")
        return _render(hazard, capacities, errors={name or "step": message}, status=400)
    try:
        operations.take_step(
            hazard, name, capacities, user=current_user, note=form.note.data or "", on=form.on.data
        )
        db.session.commit()
    except PermissionError:
        db.session.rollback()
        abort(403)
    except HazardError as error:
        db.session.rollback()
        return _render(hazard, capacities, errors={name if name in STEPS else "step": str(error)}, status=400)
    flash(_("Done: %(step)s.", step=STEPS[name].label), "success")
    return redirect(url_for("escalations.list_escalations"))
