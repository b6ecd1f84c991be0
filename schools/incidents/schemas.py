"""API shapes of incidents and their reports."""

from marshmallow import Schema, fields, validate

from schools.incidents.models import KINDS, SEVERITIES, STATUSES
from schools.incidents.operations import COUNT_MAX, LATER_REPORT_KINDS, PLACE_MAX, TEXT_MAX

COUNT = validate.Range(min=0, max=COUNT_MAX)


class IncidentAttachmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    original_name = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    uploaded_at = fields.DateTime(dump_only=True)


class IncidentReportSchema(Schema):
    id = fields.Integer(dump_only=True)
    incident_id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": ["first", *LATER_REPORT_KINDS]})
    text = fields.String(dump_only=True)
    reported_at = fields.DateTime(dump_only=True)
    author_id = fields.Integer(dump_only=True, allow_none=True)
    author_name = fields.String(dump_only=True)
    changes = fields.Dict(dump_only=True, metadata={"description": "Facts this report changed: before/after"})
    attachments = fields.List(fields.Nested(IncidentAttachmentSchema), dump_only=True)


class IncidentSchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(attribute="org_unit_id", dump_only=True)
    school_name = fields.Function(lambda i: i.school.name, dump_only=True)
    occurred_at = fields.DateTime(dump_only=True)
    reported_at = fields.DateTime(dump_only=True, metadata={"description": "First report, platform time"})
    lag_minutes = fields.Integer(dump_only=True, metadata={"description": "reported_at − occurred_at"})
    is_late = fields.Boolean(dump_only=True, metadata={"description": "lag_minutes > 60"})
    is_serious = fields.Boolean(
        dump_only=True, metadata={"description": "Severity larger or above, or a death or serious injury"}
    )
    kind = fields.String(dump_only=True, metadata={"enum": list(KINDS)})
    severity = fields.String(dump_only=True, metadata={"enum": list(SEVERITIES)})
    place = fields.String(dump_only=True)
    summary = fields.String(dump_only=True)
    deaths = fields.Integer(dump_only=True)
    serious_injuries = fields.Integer(dump_only=True)
    minor_injuries = fields.Integer(dump_only=True)
    measures = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(STATUSES)})
    is_responsibility_accident = fields.Boolean(dump_only=True)
    reported_by_id = fields.Integer(dump_only=True, allow_none=True)
    closed_at = fields.DateTime(dump_only=True, allow_none=True)
    reports = fields.List(fields.Nested(IncidentReportSchema), dump_only=True)


class IncidentCreateSchema(Schema):
    school_id = fields.Integer(required=True)
    occurred_at = fields.String(
        required=True,
        metadata={
            "description": "When it happened: local time YYYY-MM-DDTHH:MM (tenant time zone) or ISO 8601 "
            "with an offset; not in the future"
        },
    )
    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    severity = fields.String(load_default="general", validate=validate.OneOf(list(SEVERITIES)))
    place = fields.String(required=True, validate=validate.Length(min=1, max=PLACE_MAX))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_MAX))
    deaths = fields.Integer(load_default=0, strict=True, validate=COUNT)
    serious_injuries = fields.Integer(load_default=0, strict=True, validate=COUNT)
    minor_injuries = fields.Integer(load_default=0, strict=True, validate=COUNT)
    measures = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX))
    is_responsibility_accident = fields.Boolean(load_default=False)


class IncidentReportCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(LATER_REPORT_KINDS)))
    text = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_MAX))
    severity = fields.String(
        validate=validate.OneOf(list(SEVERITIES)), metadata={"description": "New severity"}
    )
    deaths = fields.Integer(strict=True, validate=COUNT, metadata={"description": "Corrected figure"})
    serious_injuries = fields.Integer(strict=True, validate=COUNT)
    minor_injuries = fields.Integer(strict=True, validate=COUNT)
    measures = fields.String(validate=validate.Length(max=TEXT_MAX))
    is_responsibility_accident = fields.Boolean(metadata={"description": "Closing report only"})


class IncidentQuerySchema(Schema):
    school_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(list(STATUSES)))
    kind = fields.String(validate=validate.OneOf(list(KINDS)))
    serious = fields.Boolean(metadata={"description": "Only serious incidents"})
    from_ = fields.Date(data_key="from", metadata={"description": "Happened on or after (local date)"})
    to = fields.Date(metadata={"description": "Happened on or before (local date)"})
