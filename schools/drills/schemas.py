"""API shapes of drills."""

from marshmallow import Schema, fields, validate

from schools.drills.models import DRILL_KINDS
from schools.drills.operations import DURATION_MAX, PARTICIPANTS_MAX, TEXT_MAX


class DrillPhotoSchema(Schema):
    id = fields.Integer(dump_only=True)
    original_name = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    uploaded_at = fields.DateTime(dump_only=True)


class DrillSchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(attribute="org_unit_id", dump_only=True)
    school_name = fields.Function(lambda d: d.school.name, dump_only=True)
    held_on = fields.Date(dump_only=True, metadata={"description": "Local date the drill was held"})
    kind = fields.String(dump_only=True, metadata={"enum": list(DRILL_KINDS)})
    participants = fields.Integer(dump_only=True)
    duration_minutes = fields.Integer(dump_only=True)
    problems = fields.String(dump_only=True)
    improvements = fields.String(dump_only=True)
    notes = fields.String(dump_only=True)
    recorded_by_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)
    photos = fields.List(fields.Nested(DrillPhotoSchema), dump_only=True)


class DrillCreateSchema(Schema):
    school_id = fields.Integer(required=True)
    held_on = fields.Date(required=True, metadata={"description": "YYYY-MM-DD, not in the future"})
    kind = fields.String(required=True, validate=validate.OneOf(list(DRILL_KINDS)))
    participants = fields.Integer(required=True, strict=True, validate=validate.Range(1, PARTICIPANTS_MAX))
    duration_minutes = fields.Integer(required=True, strict=True, validate=validate.Range(1, DURATION_MAX))
    problems = fields.String(
        required=True,
        validate=validate.Length(min=1, max=TEXT_MAX),
        metadata={"description": "Problems found; write 无 when there were none"},
    )
    improvements = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX))
    notes = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX))


class DrillQuerySchema(Schema):
    school_id = fields.Integer()
    from_ = fields.Date(data_key="from", metadata={"description": "Held on or after, YYYY-MM-DD"})
    to = fields.Date(metadata={"description": "Held on or before, YYYY-MM-DD"})
