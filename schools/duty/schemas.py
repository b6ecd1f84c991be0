"""API shapes of the duty roster."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schools.duty.models import NAME_MAX, NOTE_MAX, PHONE_MAX


class DutyDaySchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(attribute="org_unit_id", dump_only=True)
    school_name = fields.Function(lambda row: row.school.name, dump_only=True)
    day = fields.Date(dump_only=True)
    duty_person = fields.String(dump_only=True)
    duty_phone = fields.String(dump_only=True)
    leader = fields.String(dump_only=True, metadata={"description": "The leader on duty (值班领导)"})
    leader_phone = fields.String(dump_only=True)
    is_holiday = fields.Boolean(dump_only=True)
    note = fields.String(dump_only=True)
    missing = fields.List(
        fields.String(), dump_only=True, metadata={"description": "What the day lacks: person, leader"}
    )
    updated_at = fields.DateTime(dump_only=True)


class DutyDayInputSchema(Schema):
    school_id = fields.Integer(required=True)
    day = fields.Date(required=True)
    duty_person = fields.String(load_default="", validate=validate.Length(max=NAME_MAX))
    duty_phone = fields.String(load_default="", validate=validate.Length(max=PHONE_MAX))
    leader = fields.String(load_default="", validate=validate.Length(max=NAME_MAX))
    leader_phone = fields.String(load_default="", validate=validate.Length(max=PHONE_MAX))
    is_holiday = fields.Boolean(load_default=False)
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_MAX))


class DutyQuerySchema(Schema):
    school_id = fields.Integer()
    start = fields.Date(data_key="from", metadata={"description": "First day, YYYY-MM-DD (inclusive)"})
    end = fields.Date(data_key="to", metadata={"description": "Last day, YYYY-MM-DD (inclusive)"})

    @validates_schema
    def _ordered(self, data, **kwargs):
        if "start" in data and "end" in data and data["start"] > data["end"]:
            raise ValidationError("'to' is before 'from'.", "to")
