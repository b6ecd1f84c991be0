"""API shapes of rectification notices."""

from marshmallow import Schema, fields, validate

from bureau.notices.models import NOTICE_STATUSES
from schools.hazards.codes import LEVELS, STATUSES
from tenancy.settings.store import tenant_today


class NoticeHazardSchema(Schema):
    id = fields.Integer()
    seq = fields.String(allow_none=True)
    found_on = fields.Date()
    location = fields.String()
    description = fields.String()
    level = fields.String(metadata={"enum": list(LEVELS)})
    status = fields.String(metadata={"enum": list(STATUSES), "description": "The hazard's status now"})
    deadline = fields.Date(allow_none=True)


class NoticeAttachmentSchema(Schema):
    id = fields.Integer()
    original_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()


class NoticeAnswerSchema(Schema):
    id = fields.Integer()
    measures = fields.String()
    answered_at = fields.DateTime()
    decision = fields.String(allow_none=True, metadata={"enum": ["accepted", "rejected"]})
    decision_comment = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    attachments = fields.List(fields.Nested(NoticeAttachmentSchema))


class NoticeSchema(Schema):
    id = fields.Integer()
    label = fields.String(metadata={"description": "The official number, e.g. 〔2026〕第12号"})
    year = fields.Integer()
    number = fields.Integer()
    school_id = fields.Integer(attribute="org_unit_id")
    school_name = fields.Function(lambda notice: notice.school.name)
    issuer_unit_id = fields.Integer()
    issuer_name = fields.Function(lambda notice: notice.issuer_unit.name)
    issued_at = fields.DateTime()
    deadline = fields.Date()
    title = fields.String()
    body = fields.String()
    status = fields.String(metadata={"enum": list(NOTICE_STATUSES)})
    overdue = fields.Method(
        "is_overdue", metadata={"description": "Unanswered past the deadline (derived, never stored)"}
    )
    hazards = fields.List(fields.Nested(NoticeHazardSchema))
    answers = fields.List(fields.Nested(NoticeAnswerSchema))

    def is_overdue(self, notice) -> bool:
        return notice.is_overdue(tenant_today())


class NoticeQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(list(NOTICE_STATUSES)))
    year = fields.Integer(validate=validate.Range(2000, 2100))
    school_id = fields.Integer(metadata={"description": "Only notices sent to this school"})
