"""Ledger upload: file → preview of every row and problem → confirm → all rows or none."""

import io
import tempfile
from pathlib import Path

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES
from schools.hazards.models import LedgerImport
from schools.ledgers.forms import LedgerUploadForm
from schools.ledgers.importer import apply_ledger_import, plan_ledger_import
from schools.ledgers.parser import parse_ledger
from schools.ledgers.template import write_template
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.orgs.queries import breadcrumbs
from tenancy.uploads import discard_staged, load_staged, stage_upload
from tenancy.web import form_status, require

PURPOSE = "ledger_import"
CODES = {"categories": CATEGORIES, "levels": LEVELS, "statuses": STATUSES, "sources": SOURCES}


def _plan(data: bytes, filename: str, school):
    """Parse bytes through a private temporary file (the parser reads by path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        parse = parse_ledger(path, filename=filename)
    return plan_ledger_import(parse, school)


@require("read")
def upload_ledger(school_id: int):
    """Upload a ledger file and preview what it would change."""
    school = get_school_or_404(school_id, permission="ledger.import")
    form = LedgerUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(), Path(upload.filename or "ledger").name
        plan = _plan(data, filename, school)
        token = None if plan.parse.refused or not plan.rows else stage_upload(data, filename, PURPOSE)
        return render_template(
            "schools/ledgers/preview.html", school=school, plan=plan, token=token, counts=plan.counts, **CODES
        )
    history = db.session.scalars(
        select(LedgerImport)
        .where(LedgerImport.org_unit_id == school.id)
        .order_by(LedgerImport.id.desc())
        .limit(20)
    ).all()
    status = form_status()
    return render_template(
        "schools/ledgers/upload.html", school=school, form=form, crumbs=breadcrumbs(school), history=history
    ), status


@require("read")
def confirm_ledger(school_id: int, token: str):
    """Write a previewed ledger: every valid row in one transaction."""
    school = get_school_or_404(school_id, permission="ledger.import")
    data, filename = load_staged(token, PURPOSE)
    plan = _plan(data, filename, school)
    record = apply_ledger_import(plan, school, data)
    db.session.commit()
    discard_staged(token)
    flash(
        _(
            "Ledger imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, %(errors)d rows with errors skipped.",
            created=record.created_count,
            updated=record.updated_count,
            unchanged=record.unchanged_count,
            errors=record.error_count,
        ),
        "success",
    )
    return redirect(url_for("hazards.list_hazards", school_id=school.id))


@require("read")
def download_template():
    """Download the blank ledger template."""
    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    return send_file(
        buffer,
        as_attachment=True,
        download_name="隐患排查治理台账模板.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
