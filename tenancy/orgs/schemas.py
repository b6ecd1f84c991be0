"""API shapes of org units."""

from marshmallow import Schema, fields, validate

from tenancy.orgs.kinds import KIND_LABELS


class OrgUnitSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String()
    name = fields.String()
    level = fields.Integer(metadata={"description": "1 bureau, 2 central/directly-run, 3 school"})
    kind = fields.String(validate=validate.OneOf(list(KIND_LABELS)))
    is_private = fields.Boolean()
    is_active = fields.Boolean()
    parent_id = fields.Integer(allow_none=True)


class OrgUnitQuerySchema(Schema):
    level = fields.Integer(validate=validate.Range(1, 3))
    kind = fields.String(validate=validate.OneOf(list(KIND_LABELS)))
    parent_id = fields.Integer()
    active = fields.Boolean()
    q = fields.String(validate=validate.Length(max=60), metadata={"description": "Code or name contains"})
