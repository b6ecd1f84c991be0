"""API shapes of the annual assessment: a year's rubric with the results in scope, one school's result."""

from marshmallow import Schema, fields

from bureau.assessment.models import GRADES, KINDS
from bureau.assessment.scoring import RULES
from bureau.assessment.sources import SOURCE_LABELS


class BandsSchema(Schema):
    excellent = fields.Float(dump_only=True, metadata={"description": "Lowest total graded excellent (优秀)"})
    good = fields.Float(dump_only=True, metadata={"description": "Lowest total graded good (良好)"})
    pass_ = fields.Float(
        data_key="pass", attribute="pass", dump_only=True, metadata={"description": "Lowest passing total"}
    )


class IndicatorSchema(Schema):
    code = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": list(KINDS)})
    weight = fields.Integer(dump_only=True, metadata={"description": "Points; 0 for veto items"})
    source = fields.String(dump_only=True, metadata={"enum": list(SOURCE_LABELS)})
    rule = fields.String(dump_only=True, metadata={"enum": list(RULES)})
    params = fields.Dict(keys=fields.String(), values=fields.Raw(), dump_only=True)
    evidence = fields.String(dump_only=True, metadata={"description": "What evidence stands behind it"})


class ScoreSchema(Schema):
    points = fields.Float(dump_only=True)
    rate = fields.Float(dump_only=True, allow_none=True, metadata={"description": "%, rate rules only"})
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        dump_only=True,
        metadata={"description": "The figures counted from the data (computed indicators)"},
    )
    value = fields.Float(dump_only=True, allow_none=True, metadata={"description": "The entered value"})
    applies = fields.Boolean(dump_only=True, metadata={"description": "Veto items: whether it applies"})
    missing = fields.Boolean(dump_only=True, metadata={"description": "Not entered (or not counted) yet"})
    comment = fields.String(dump_only=True, metadata={"description": "The comment of an entered score"})


class ResultSchema(Schema):
    school_id = fields.Integer(dump_only=True)
    school_code = fields.String(dump_only=True)
    school_name = fields.String(dump_only=True)
    central_id = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The central school ranked with when computed; null for directly-run"},
    )
    central_name = fields.String(dump_only=True, allow_none=True)
    first_day = fields.Date(dump_only=True)
    last_day = fields.Date(dump_only=True)
    indicators = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ScoreSchema),
        dump_only=True,
        metadata={"description": "Indicator code → its figures and points"},
    )
    total = fields.Float(dump_only=True)
    vetoed = fields.Boolean(dump_only=True)
    grade = fields.String(dump_only=True, metadata={"enum": list(GRADES)})
    rank_tenant = fields.Integer(dump_only=True)
    rank_central = fields.Integer(dump_only=True)


class AssessmentSchema(Schema):
    year = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": ["open", "closed"]})
    computed_at = fields.DateTime(dump_only=True, allow_none=True)
    computed_through = fields.Date(
        dump_only=True, allow_none=True, metadata={"description": "Before 31 December: a mid-year preview"}
    )
    bands = fields.Nested(BandsSchema, dump_only=True)
    indicators = fields.List(fields.Nested(IndicatorSchema), dump_only=True)
    results = fields.List(
        fields.Nested(ResultSchema),
        dump_only=True,
        metadata={"description": "The results the caller may see, best rank first"},
    )


class SchoolResultSchema(ResultSchema):
    year = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": ["open", "closed"]})


class AssessmentQuerySchema(Schema):
    central = fields.Integer(metadata={"description": "Only the schools ranked within this central school"})
