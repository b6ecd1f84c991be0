"""/api/v1/ledgers: upload a ledger file (multipart); ?dry_run=1 answers the dry-run JSON."""

import tempfile
from pathlib import Path

from flask import Blueprint, request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from schools.ledgers.importer import apply_ledger_import, plan_ledger_import
from schools.ledgers.parser import parse_ledger
from schools.units import get_school_or_404
from tenancy.api.base import ApiError, documented
from tenancy.extensions import db


class LedgerResultSchema(Schema):
    file = fields.String()
    sheets = fields.List(fields.Dict())
    rows = fields.List(fields.Dict())
    errors = fields.List(fields.Dict())
    ignored_columns = fields.List(fields.String())
    counts = fields.Dict(metadata={"description": "create/update/unchanged/errors, when a school is given"})
    import_id = fields.Integer(allow_none=True)


class LedgerUploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    school_id = fields.Integer(metadata={"description": "Required to import; optional for a dry run"})


@documented(
    summary="Upload a ledger (multipart: file, school_id); ?dry_run=1 writes nothing",
    response=LedgerResultSchema(),
    body=LedgerUploadSchema(),
)
def upload_ledger():
    dry_run = request.args.get("dry_run") in ("1", "true")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(
            400, "invalid", _("Send the ledger as multipart field 'file'."), {"file": [_("Required.")]}
        )
    school_id = request.form.get("school_id", "")
    if not dry_run and not school_id.isdigit():
        raise ApiError(400, "invalid", _("school_id is required to import."), {"school_id": [_("Required.")]})
    school = get_school_or_404(int(school_id), permission="ledger.import") if school_id.isdigit() else None
    data = upload.read()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        parse = parse_ledger(path, filename=Path(upload.filename).name)
    result = parse.to_json()
    if parse.refused:
        return result, 422
    if school is not None:
        plan = plan_ledger_import(parse, school)
        result["counts"] = plan.counts
        if not dry_run:
            result["import_id"] = apply_ledger_import(plan, school, data).id
            db.session.commit()
    return result, 200 if dry_run else 201


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/ledgers", view_func=upload_ledger, methods=["POST"])
