"""API shapes of flags."""

from marshmallow import Schema, fields, validate

from bureau.flags.models import FLAG_KINDS


class FlagSchema(Schema):
    id = fields.Integer(dump_only=True)
    org_unit_id = fields.Integer(dump_only=True, metadata={"description": "The unit at fault"})
    unit_code = fields.String(dump_only=True)
    unit = fields.String(dump_only=True, metadata={"description": "The unit's name"})
    kind = fields.String(dump_only=True, metadata={"enum": list(FLAG_KINDS)})
    subject = fields.String(
        dump_only=True,
        metadata={"description": "What it is about: hazard:<id>, period:<YYYY-MM>, cell:<id> or notice:<id>"},
    )
    details = fields.Dict(
        dump_only=True, metadata={"description": "Plain facts of the subject when last computed"}
    )
    raised_at = fields.DateTime(dump_only=True)
    cleared_at = fields.DateTime(dump_only=True, allow_none=True, metadata={"description": "Null while open"})


class FlagQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(list(FLAG_KINDS)))
    org_unit_id = fields.Integer(
        metadata={"description": "Only flags of this unit and the units below it (404 outside scope)"}
    )
    cleared = fields.Integer(
        load_default=0,
        validate=validate.OneOf([0, 1]),
        metadata={"description": "0: open flags (default); 1: cleared flags (history)"},
    )
