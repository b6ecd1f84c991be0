"""API shapes of joint-prevention contacts."""

from marshmallow import Schema, fields, validate

from schools.contacts.models import PARTNER_KINDS
from schools.contacts.operations import NOTES_MAX, PERSON_MAX, UNIT_NAME_MAX


class ContactSchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(attribute="org_unit_id", dump_only=True)
    school_name = fields.Function(lambda c: c.school.name, dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": list(PARTNER_KINDS)})
    kind_label = fields.String(dump_only=True)
    unit_name = fields.String(dump_only=True)
    person = fields.String(dump_only=True)
    phone = fields.String(dump_only=True)
    notes = fields.String(dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)


class ContactCreateSchema(Schema):
    school_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(PARTNER_KINDS)))
    unit_name = fields.String(required=True, validate=validate.Length(min=1, max=UNIT_NAME_MAX))
    person = fields.String(required=True, validate=validate.Length(min=1, max=PERSON_MAX))
    phone = fields.String(
        required=True,
        metadata={"description": "Mobile 1[3-9]xxxxxxxxx, or landline with area code 0571-88886666[-ext]"},
    )
    notes = fields.String(load_default="", validate=validate.Length(max=NOTES_MAX))


class ContactQuerySchema(Schema):
    school_id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(list(PARTNER_KINDS)))
    include_inactive = fields.Boolean(
        load_default=False, metadata={"description": "Also list deactivated contacts"}
    )
