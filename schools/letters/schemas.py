"""API shapes of responsibility letters."""

from marshmallow import Schema, fields, validate

from schools.letters.models import STATUSES, TIERS
from schools.letters.operations import LABEL_MAX, NAME_MAX, NOTE_MAX, POST_MAX, YEAR_MAX, YEAR_MIN

YEAR = validate.Range(YEAR_MIN, YEAR_MAX)


class LetterSchema(Schema):
    id = fields.Integer(dump_only=True)
    year = fields.Integer(dump_only=True)
    tier = fields.String(dump_only=True, metadata={"enum": list(TIERS)})
    issuer_unit_id = fields.Integer(dump_only=True)
    issuer_unit_name = fields.Function(lambda letter: letter.issuer_unit.name, dump_only=True)
    org_unit_id = fields.Integer(
        dump_only=True,
        metadata={"description": "The receiving unit (unit tiers) or the school (in-school tiers)"},
    )
    org_unit_name = fields.Function(lambda letter: letter.unit.name, dump_only=True)
    signer_label = fields.String(
        dump_only=True, metadata={"description": "In-school: staff, department or class"}
    )
    signer_name = fields.String(dump_only=True)
    signer_post = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(STATUSES)})
    issued_on = fields.Date(dump_only=True)
    signed_on = fields.Date(dump_only=True, allow_none=True)
    note = fields.String(dump_only=True)
    supersedes_id = fields.Integer(dump_only=True, allow_none=True)
    has_scan = fields.Boolean(dump_only=True)
    scan_content_type = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class LetterCreateSchema(Schema):
    year = fields.Integer(required=True, validate=YEAR)
    tier = fields.String(required=True, validate=validate.OneOf(list(TIERS)))
    org_unit_id = fields.Integer(
        required=True,
        metadata={"description": "Unit tiers: the unit that signs; in-school tiers: the school"},
    )
    signer_label = fields.String(
        load_default="",
        validate=validate.Length(max=LABEL_MAX),
        metadata={"description": "Required for in-school tiers: staff member, department or class"},
    )
    signer_name = fields.String(load_default="", validate=validate.Length(max=NAME_MAX))
    signer_post = fields.String(load_default="", validate=validate.Length(max=POST_MAX))
    issued_on = fields.Date(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_MAX))


class LetterSignSchema(Schema):
    signed_on = fields.Date(required=True)
    signer_name = fields.String(required=True, validate=validate.Length(min=1, max=NAME_MAX))
    signer_post = fields.String(load_default="", validate=validate.Length(max=POST_MAX))


class LetterQuerySchema(Schema):
    year = fields.Integer(validate=YEAR)
    tier = fields.String(validate=validate.OneOf(list(TIERS)))
    org_unit_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(list(STATUSES)))
