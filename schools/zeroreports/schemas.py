"""API shapes of zero-report windows, their completeness and the daily reports."""

from marshmallow import Schema, fields, validate

from schools.zeroreports.models import WINDOW_STATUSES
from schools.zeroreports.operations import ITEM_MAX, MAX_ITEMS, NOTE_MAX, TITLE_MAX
from tenancy.settings.store import tenant_today

TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"


class WindowSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    starts_on = fields.Date(dump_only=True)
    ends_on = fields.Date(
        dump_only=True, allow_none=True, metadata={"description": "null: until switched off"}
    )
    deadline = fields.Function(
        lambda w: w.deadline.strftime("%H:%M"), dump_only=True, metadata={"description": "Local HH:MM"}
    )
    items = fields.List(fields.String(), dump_only=True)
    covers_all = fields.Boolean(dump_only=True)
    target_unit_ids = fields.Function(
        lambda w: [target.org_unit_id for target in w.targets],
        dump_only=True,
        metadata={"description": "Units whose subtrees are covered (empty when covers_all)"},
    )
    status = fields.String(dump_only=True, metadata={"enum": list(WINDOW_STATUSES)})
    phase = fields.Function(
        lambda w: w.phase(tenant_today()),
        dump_only=True,
        metadata={"enum": ["upcoming", "open", "over", "switched_off"]},
    )
    note = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    created_by_id = fields.Integer(dump_only=True, allow_none=True)
    switched_off_at = fields.DateTime(dump_only=True, allow_none=True)
    switched_off_by_id = fields.Integer(dump_only=True, allow_none=True)


class DayTotalSchema(Schema):
    day = fields.Date()
    required = fields.Integer()
    reported = fields.Integer(metadata={"description": "Late reports included"})
    late = fields.Integer()
    zero = fields.Integer()
    missing = fields.Integer()
    pending = fields.Integer(metadata={"description": "Required, no report, deadline not passed"})
    percent = fields.Float(allow_none=True)


class CompletenessSchema(Schema):
    schools = fields.Integer(metadata={"description": "Schools of the caller's scope in the target"})
    days = fields.Integer()
    required = fields.Integer(metadata={"description": "School-days required so far"})
    reported = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    zero = fields.Integer()
    missing = fields.Integer()
    pending = fields.Integer()
    percent = fields.Float(allow_none=True)
    by_day = fields.List(fields.Nested(DayTotalSchema))


class WindowDetailSchema(WindowSchema):
    completeness = fields.Nested(
        CompletenessSchema, dump_only=True, metadata={"description": "Every day so far, caller's schools"}
    )


class WindowCreateSchema(Schema):
    bureau_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "The bureau opening the window (the tenant's root unit); optional"},
    )
    title = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    starts_on = fields.Date(required=True, metadata={"description": "Today or later"})
    ends_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "null: open-ended"})
    deadline = fields.String(
        required=True,
        validate=validate.Regexp(TIME_PATTERN, error="Give the time as HH:MM, for example 16:00."),
        metadata={"description": "Local HH:MM; the whole minute counts as on time"},
    )
    items = fields.List(
        fields.String(validate=validate.Length(min=1, max=ITEM_MAX)),
        required=True,
        validate=validate.Length(min=1, max=MAX_ITEMS),
    )
    target_unit_ids = fields.List(
        fields.Integer(),
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Central schools / schools covered with their subtrees; null or absent: all"
        },
    )
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_MAX))


class WindowQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(list(WINDOW_STATUSES)))


class ReportSchema(Schema):
    id = fields.Integer(dump_only=True)
    window_id = fields.Integer(dump_only=True)
    school_id = fields.Integer(attribute="org_unit_id", dump_only=True)
    school_name = fields.Function(lambda r: r.school.name, dump_only=True)
    day = fields.Date(dump_only=True)
    values = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True)
    is_zero = fields.Boolean(dump_only=True)
    is_late = fields.Boolean(dump_only=True, metadata={"description": "First reported after the deadline"})
    note = fields.String(dump_only=True)
    reported_at = fields.DateTime(dump_only=True)
    reported_by_id = fields.Integer(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)
    updated_by_id = fields.Integer(dump_only=True, allow_none=True)


class ReportCreateSchema(Schema):
    window_id = fields.Integer(required=True)
    school_id = fields.Integer(required=True)
    day = fields.Date(
        required=True, metadata={"description": "A required day of the window, not in the future"}
    )
    values = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        load_default=dict,
        metadata={
            "description": "{item: whole number ≥ 0}; items not given count as 0 ({} is a zero report)"
        },
    )
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_MAX))


class ReportQuerySchema(Schema):
    window_id = fields.Integer()
    school_id = fields.Integer()
    day = fields.Date()
