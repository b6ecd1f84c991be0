"""API shapes of hazards and lifecycle steps."""

from marshmallow import Schema, fields, validate

from schools.hazards.codes import CATEGORIES, LEVELS, SOURCES, STATUSES
from schools.hazards.lifecycle import STEPS
from schools.hazards.queries import tenant_today


class HazardSchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(attribute="org_unit_id", dump_only=True)
    seq = fields.String(allow_none=True, dump_only=True)
    found_on = fields.Date()
    source = fields.String(validate=validate.OneOf(list(SOURCES)))
    grid_cell_id = fields.Integer(allow_none=True)
    location = fields.String(validate=validate.Length(1, 200))
    category = fields.String(validate=validate.OneOf(list(CATEGORIES)))
    category_inferred = fields.Boolean(dump_only=True)
    level = fields.String(validate=validate.OneOf(list(LEVELS)))
    description = fields.String(validate=validate.Length(1, 2000))
    measures = fields.String(allow_none=True, validate=validate.Length(max=2000))
    responsible = fields.String(allow_none=True, validate=validate.Length(max=80))
    deadline = fields.Date(allow_none=True)
    remark = fields.String(allow_none=True, validate=validate.Length(max=2000))
    status = fields.String(dump_only=True, metadata={"enum": list(STATUSES)})
    rectified_on = fields.Date(dump_only=True, allow_none=True)
    verified_on = fields.Date(dump_only=True, allow_none=True)
    verified_by = fields.String(dump_only=True, allow_none=True)
    verification = fields.String(dump_only=True, allow_none=True)
    escalated_to_id = fields.Integer(dump_only=True, allow_none=True)
    overdue = fields.Method("is_overdue", dump_only=True, metadata={"description": "Derived, never stored"})
    under_supervision = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    def is_overdue(self, hazard) -> bool:
        return hazard.is_overdue(tenant_today())


class HazardCreateSchema(HazardSchema):
    school_id = fields.Integer(required=True, attribute="org_unit_id")
    found_on = fields.Date(required=True)
    location = fields.String(required=True, validate=validate.Length(1, 200))
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    description = fields.String(required=True, validate=validate.Length(1, 2000))


class HazardQuerySchema(Schema):
    school_id = fields.Integer()
    month = fields.String(validate=validate.Regexp(r"^\d{4}-\d{2}$"), metadata={"description": "YYYY-MM"})
    category = fields.String(validate=validate.OneOf(list(CATEGORIES)))
    level = fields.String(validate=validate.OneOf(list(LEVELS)))
    status = fields.String(validate=validate.OneOf(list(STATUSES)))
    cell = fields.Integer()
    overdue = fields.Boolean()


class StepSchema(Schema):
    step = fields.String(required=True, validate=validate.OneOf(list(STEPS)))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    on = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "Date rectified / re-checked"}
    )
    to_bureau = fields.Boolean(load_default=False)
