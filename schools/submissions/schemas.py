"""API shapes of monthly reports and their review."""

from marshmallow import Schema, fields, validate

from schools.submissions.models import SUBMISSION_STATUSES
from schools.submissions.operations import COMMENT_MAX, DECISIONS, NARRATIVE_MAX, PERIOD_PATTERN

PERIOD_ERROR = "Give the month as YYYY-MM, for example 2026-03."


class SubmissionSchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(attribute="org_unit_id", dump_only=True)
    school_name = fields.Function(lambda s: s.school.name, dump_only=True)
    reviewer_unit_id = fields.Integer(dump_only=True)
    period = fields.Function(
        lambda s: s.period.strftime("%Y-%m"), dump_only=True, metadata={"description": "YYYY-MM"}
    )
    version = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(SUBMISSION_STATUSES)})
    snapshot = fields.Dict(
        dump_only=True, metadata={"description": "The month's ledger figures, frozen when submitted"}
    )
    narrative = fields.String(dump_only=True)
    due_at = fields.DateTime(dump_only=True)
    submitted_at = fields.DateTime(dump_only=True)
    submitted_by_id = fields.Integer(dump_only=True, allow_none=True)
    is_late = fields.Boolean(dump_only=True, metadata={"description": "Submitted after due_at (derived)"})
    reviewed_at = fields.DateTime(dump_only=True, allow_none=True)
    reviewed_by_id = fields.Integer(dump_only=True, allow_none=True)
    review_comment = fields.String(dump_only=True, allow_none=True)


class SubmissionCreateSchema(Schema):
    school_id = fields.Integer(required=True)
    period = fields.String(
        required=True,
        validate=validate.Regexp(PERIOD_PATTERN, error=PERIOD_ERROR),
        metadata={"description": "The month reported, YYYY-MM; it must be over"},
    )
    narrative = fields.String(load_default="", validate=validate.Length(max=NARRATIVE_MAX))


class SubmissionQuerySchema(Schema):
    school_id = fields.Integer()
    period = fields.String(
        validate=validate.Regexp(PERIOD_PATTERN, error=PERIOD_ERROR), metadata={"description": "YYYY-MM"}
    )
    status = fields.String(validate=validate.OneOf(list(SUBMISSION_STATUSES)))


class ReviewSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(list(DECISIONS)))
    comment = fields.String(
        load_default="",
        validate=validate.Length(max=COMMENT_MAX),
        metadata={"description": "Required when the decision is return"},
    )
