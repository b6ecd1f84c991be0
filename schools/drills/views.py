"""Drill pages: a school's drill calendar, recording and correcting a drill, photos, the overview."""

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from schools.drills import operations
from schools.drills.export import overview_workbook
from schools.drills.forms import DrillForm, PhotoForm
from schools.drills.models import DRILL_KINDS, RULE_LABELS, STATUS_LABELS, Drill, DrillPhoto
from schools.drills.queries import (
    compliance_counts,
    current_school_year,
    filter_drills,
    overview,
    school_drills,
    school_obligations,
)
from schools.drills.rules import frequency
from schools.files import send_stored
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.semesters import school_year
from tenancy.settings.store import tenant_today
from tenancy.ui import int_arg
from tenancy.web import form_status, require

LABELS = {"kinds": DRILL_KINDS, "status_labels": STATUS_LABELS, "rule_labels": RULE_LABELS}


def _drill_school(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a unit that holds drills in scope; grade groups drill with their school (404)."""
    school = get_school_or_404(school_id, permission=permission)
    if frequency(school.kind) is None:
        abort(404)
    return school


def _year_range() -> tuple[int, date, date]:
    """The school year asked for (?year=the year it starts in), else the current one."""
    current = current_school_year()[0].year
    year = int_arg("year", current, 2000, 2100)
    first, last = school_year(date(year, 12, 31))  # the autumn start is always in the year
    return year, first, last


@require("read")
def calendar(school_id: int):
    """The school's drills and obligations in a school year: met, due, missed, and what is next."""
    school = _drill_school(school_id)
    year, first, last = _year_range()
    today = tenant_today()
    found = school_obligations(school, first, last, today)
    drills = db.session.scalars(filter_drills(school_drills(school), first=first, last=last)).all()
    return render_template(
        "schools/drills/calendar.html",
        school=school,
        crumbs=breadcrumbs(school),
        year=year,
        first=first,
        last=last,
        today=today,
        obligations=found,
        due=[o for o in found if o.status == "due"],
        missed=[o for o in found if o.status == "missed"],
        counts=compliance_counts(found),
        drills=drills,
        rule=frequency(school.kind),
        may_record=can("drill.record", school),
        **LABELS,
    )


def _attach_uploads(drill: Drill, uploads) -> None:
    for upload in uploads or []:
        if upload and upload.filename:
            operations.attach_photo(drill, upload.read(), upload.filename, current_user)


def _show_error(form, error: operations.DrillError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


@require("read")
def new_drill(school_id: int):
    """Record a drill the school held, with photos."""
    school = _drill_school(school_id, permission="drill.record")
    form = DrillForm()
    if request.method == "GET":
        form.held_on.data = tenant_today()
    if form.validate_on_submit():
        try:
            drill = operations.record_drill(school, form.values(), current_user)
            _attach_uploads(drill, form.new_photos.data)
            db.session.commit()
            flash(_("Drill recorded."), "success")
            return redirect(url_for("drills.show_drill", drill_id=drill.id))
        except operations.DrillError as error:
            db.session.rollback()
            _show_error(form, error)
    return render_template(
        "schools/drills/form.html", school=school, crumbs=breadcrumbs(school), form=form, drill=None
    ), form_status()


@require("read")
def show_drill(drill_id: int):
    """A drill with its photos; the school's safety officer may correct it, add photos or delete it."""
    drill = get_scoped_or_404(Drill, drill_id)
    return render_template(
        "schools/drills/show.html",
        drill=drill,
        school=drill.school,
        crumbs=breadcrumbs(drill.school),
        photo_form=PhotoForm(),
        may_record=can("drill.record", drill.school),
        **LABELS,
    )


@require("read")
def edit_drill(drill_id: int):
    """Correct a recorded drill."""
    drill = get_scoped_or_404(Drill, drill_id, permission="drill.record")
    form = DrillForm(obj=drill)
    if form.validate_on_submit():
        try:
            operations.update_drill(drill, form.values())
            _attach_uploads(drill, form.new_photos.data)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("drills.show_drill", drill_id=drill.id))
        except operations.DrillError as error:
            db.session.rollback()
            _show_error(form, error)
    return render_template(
        "schools/drills/form.html",
        school=drill.school,
        crumbs=breadcrumbs(drill.school),
        form=form,
        drill=drill,
    ), form_status()


@require("read")
def delete_drill(drill_id: int):
    """Delete a drill recorded by mistake (audited with all its values)."""
    drill = get_scoped_or_404(Drill, drill_id, permission="drill.record")
    school_id = drill.org_unit_id
    files = operations.delete_drill(drill)
    db.session.commit()
    operations.remove_files(files)
    flash(_("Drill deleted."), "success")
    return redirect(url_for("drills.calendar", school_id=school_id))


@require("read")
def add_photo(drill_id: int):
    """Attach a photo (JPEG, PNG or WebP) to a drill."""
    drill = get_scoped_or_404(Drill, drill_id, permission="drill.record")
    form = PhotoForm()
    upload = form.photo.data if form.validate_on_submit() else None
    try:
        if not upload or not upload.filename:
            raise operations.DrillError(_("Choose a photo."), "photo")
        operations.attach_photo(drill, upload.read(), upload.filename, current_user)
        db.session.commit()
        flash(_("Photo attached."), "success")
    except operations.DrillError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("drills.show_drill", drill_id=drill.id))


@require("read")
def photo(photo_id: int):
    """Serve a drill photo to users who can see the school."""
    item = get_scoped_or_404(DrillPhoto, photo_id)
    return send_stored(
        operations.photo_path(item), mimetype=item.content_type, download_name=item.original_name
    )


@require("read")
def delete_photo(photo_id: int):
    """Remove a photo from its drill."""
    item = get_scoped_or_404(DrillPhoto, photo_id, permission="drill.record")
    drill_id = item.drill_id
    path = operations.delete_photo(item)
    db.session.commit()
    operations.remove_files([path])
    flash(_("Photo removed."), "success")
    return redirect(url_for("drills.show_drill", drill_id=drill_id))


def _overview_unit() -> OrgUnit:
    """The unit asked for (?unit=id, in scope, else 404), else the highest unit the user holds a role at."""
    unit_id = request.args.get("unit", "")
    if unit_id:
        return get_scoped_or_404(OrgUnit, int(unit_id) if unit_id.isdigit() else None)
    return sorted((grant.org_unit for grant in current_user.grants), key=lambda u: (u.level, u.code))[0]


@require("read")
def show_overview():
    """Per school under a unit: obligations met, missed and due this school year, and the last drill."""
    unit = _overview_unit()
    year, first, last = _year_range()
    rows = overview(unit, first, last)
    return render_template(
        "schools/drills/overview.html",
        unit=unit,
        crumbs=breadcrumbs(unit),
        year=year,
        first=first,
        last=last,
        rows=rows,
        totals={key: sum(row.counts[key] for row in rows) for key in ("required", "met", "missed", "due")},
        **LABELS,
    )


@require("read")
def export_overview():
    """The overview as an Excel file."""
    unit = _overview_unit()
    year, first, last = _year_range()
    data = overview_workbook(unit, overview(unit, first, last), first, last)
    return send_file(
        io.BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"drills-{unit.code}-{year}.xlsx",
    )
