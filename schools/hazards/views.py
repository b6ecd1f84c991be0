"""Hazard pages: the school's ledger, reporting, the hazard's page and its steps, evidence."""

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from schools.files import send_stored
from schools.hazards import access, operations
from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES
from schools.hazards.evidence import attach_evidence, evidence_path
from schools.hazards.forms import EvidenceForm, HazardForm, StepForm
from schools.hazards.lifecycle import STEPS, legal_steps
from schools.hazards.models import Evidence, Hazard, LedgerImport
from schools.hazards.queries import SORTS, LedgerFilters, supervision_list, tenant_today
from schools.ledgers.export import export_ledger
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.scoping import get_scoped_or_404
from tenancy.ui import paginate, sorted_by
from tenancy.web import form_status, require

CODES = {"categories": CATEGORIES, "levels": LEVELS, "statuses": STATUSES, "sources": SOURCES}


def _cell_choices(school) -> list[tuple[int, str]]:
    from schools.grid.models import GridCell

    cells = db.session.scalars(
        select(GridCell).where(GridCell.org_unit_id == school.id, GridCell.is_active).order_by(GridCell.name)
    ).all()
    if access.keeper_only(school):
        mine = {cell.id for cell in access.cells_of_keeper(current_user)}
        cells = [cell for cell in cells if cell.id in mine]
    return [(0, "—")] + [(cell.id, cell.name) for cell in cells]


def _load_hazard(hazard_id: int) -> Hazard:
    """Load a hazard in scope; a grid keeper sees only their own cells' hazards."""
    hazard = get_scoped_or_404(Hazard, hazard_id)
    if access.keeper_only(hazard.school) and not access.keeper_sees(hazard):
        abort(404)
    return hazard


@require("read")
def list_hazards(school_id: int):
    """The school's ledger: filter by month, category, level, status, cell, overdue; sort; page."""
    school = get_school_or_404(school_id)
    today = tenant_today()
    filters = LedgerFilters.from_args(request.args)
    query = filters.apply(access.visible_hazards(school), today)
    query, sort = sorted_by(query, SORTS, "-found_on")
    page = paginate(query.order_by(Hazard.id.desc()))
    return render_template(
        "schools/hazards/list.html",
        school=school,
        crumbs=breadcrumbs(school),
        page=page,
        sort=sort,
        filters=filters,
        today=today,
        cells=_cell_choices(school),
        **CODES,
    )


@require("read")
def export_hazards(school_id: int):
    """Download the filtered ledger as Excel in the platform template."""
    school = get_school_or_404(school_id)
    filters = LedgerFilters.from_args(request.args)
    query = filters.apply(access.visible_hazards(school), tenant_today()).order_by(Hazard.found_on, Hazard.id)
    buffer = io.BytesIO()
    export_ledger(
        ({name: getattr(h, name) for name in EXPORT_FIELDS} for h in db.session.scalars(query)),
        buffer,
        title=f"{school.name} 隐患排查治理台账",
    )
    buffer.seek(0)
    return send_file(
        buffer,
        as_attachment=True,
        download_name=f"{school.name}_隐患排查治理台账.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


EXPORT_FIELDS = (
    "seq",
    "found_on",
    "source",
    "location",
    "category",
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


@require("read")
def new_hazard(school_id: int):
    """Report a hazard (mobile-friendly: a grid keeper does it in under a minute)."""
    school = get_school_or_404(school_id, permission="hazard.report")
    form = HazardForm()
    form.grid_cell_id.choices = _cell_choices(school)
    if request.method == "GET":
        form.found_on.data = tenant_today()
    if form.validate_on_submit():
        data = operations.HazardInput(**{k: getattr(form, k).data for k in operations.EDITABLE})
        try:
            if access.keeper_only(school) and data.grid_cell_id not in {
                c for c, _n in form.grid_cell_id.choices[1:]
            }:
                raise operations.HazardError(_("Choose one of your grid cells."), "grid_cell_id")
            hazard = operations.report_hazard(school, data, current_user)
            photo = form.photo.data
            if photo and photo.filename:
                attach_evidence(hazard, photo.read(), photo.filename, "found", current_user)
            db.session.commit()
            flash(_("Hazard %(seq)s recorded.", seq=hazard.seq), "success")
            return redirect(url_for("hazards.show_hazard", hazard_id=hazard.id))
        except operations.HazardError as error:
            db.session.rollback()
            getattr(form, error.field or "description", form.description).errors.append(str(error))
    status = form_status()
    return render_template("schools/hazards/form.html", form=form, school=school, hazard=None), status


@require("read")
def edit_hazard(hazard_id: int):
    """Correct a hazard's recorded facts (the school's safety officer)."""
    hazard = _load_hazard(hazard_id)
    if not can("hazard.manage", hazard.school):
        abort(403)
    form = HazardForm(obj=hazard)
    form.grid_cell_id.choices = _cell_choices(hazard.school)
    if form.validate_on_submit():
        try:
            operations.update_hazard(hazard, {k: getattr(form, k).data for k in operations.EDITABLE})
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("hazards.show_hazard", hazard_id=hazard.id))
        except operations.HazardError as error:
            db.session.rollback()
            getattr(form, error.field or "description", form.description).errors.append(str(error))
    status = form_status()
    return render_template(
        "schools/hazards/form.html", form=form, school=hazard.school, hazard=hazard
    ), status


@require("read")
def show_hazard(hazard_id: int):
    """A hazard with its whole history, evidence and the steps the user may take now."""
    hazard = _load_hazard(hazard_id)
    capacities = access.capacities(hazard)
    steps = [step for step in legal_steps(hazard.status) if capacities & step.actors]
    if hazard.escalated_to is not None and hazard.escalated_to.level == 1:
        steps = [step for step in steps if step.name != "forward"]  # already at the top
    ledger_import = db.session.get(LedgerImport, hazard.ledger_import_id) if hazard.ledger_import_id else None
    return render_template(
        "schools/hazards/detail.html",
        hazard=hazard,
        school=hazard.school,
        crumbs=breadcrumbs(hazard.school),
        steps=steps,
        step_form=StepForm(),
        evidence_form=EvidenceForm(),
        today=tenant_today(),
        can_edit=can("hazard.manage", hazard.school),
        can_attach=bool(capacities),
        ledger_import=ledger_import,
        **CODES,
    )


@require("read")
def take_step(hazard_id: int):
    """Move a hazard along its lifecycle."""
    hazard = _load_hazard(hazard_id)
    form = StepForm()
    if not form.validate_on_submit() or form.step.data not in STEPS:
        flash(_("The step could not be read; try again."), "error")
        return redirect(url_for("hazards.show_hazard", hazard_id=hazard.id))
    try:
        operations.take_step(
            hazard,
            form.step.data,
            access.capacities(hazard),
            user=current_user,
            note=form.note.data or "",
            on=form.on.data,
            to_bureau=form.to_bureau.data,
        )
        photo = form.photo.data
        if photo and photo.filename:
            stage = "rectification" if form.step.data in ("rectify", "resolve") else "found"
            attach_evidence(hazard, photo.read(), photo.filename, stage, current_user)
        db.session.commit()
        flash(_("Done: %(step)s.", step=STEPS[form.step.data].label), "success")
    except PermissionError:
        db.session.rollback()
        abort(403)
    except operations.HazardError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("hazards.show_hazard", hazard_id=hazard.id))


@require("read")
def add_evidence(hazard_id: int):
    """Attach a photo or PDF to a hazard."""
    hazard = _load_hazard(hazard_id)
    if not access.capacities(hazard):
        abort(403)
    form = EvidenceForm()
    upload = form.file.data if form.validate_on_submit() else None
    try:
        if not upload or not upload.filename:
            raise operations.HazardError(_("Choose a file."), "file")
        attach_evidence(hazard, upload.read(), upload.filename, form.stage.data, current_user)
        db.session.commit()
        flash(_("File attached."), "success")
    except operations.HazardError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("hazards.show_hazard", hazard_id=hazard.id))


@require("read")
def download_evidence(evidence_id: int):
    """Serve an evidence file to users who can see its hazard."""
    item = get_scoped_or_404(Evidence, evidence_id)
    _load_hazard(item.hazard_id)
    return send_stored(
        evidence_path(item),
        mimetype=item.content_type,
        download_name=item.original_name,
        as_attachment=item.content_type == "application/pdf",
    )


@require("hazard.review")
def supervision():
    """Major hazards under supervision (挂牌督办) until verified, across the user's area."""
    page = paginate(supervision_list())
    return render_template("schools/hazards/supervision.html", page=page, today=tenant_today(), **CODES)
