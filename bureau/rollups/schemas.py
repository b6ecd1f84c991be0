"""API shapes of rollups: the query, the figures of a month or a range, the answer."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from bureau.rollups.models import UNIT_FIGURES
from bureau.rollups.read import OWNERSHIP, parse_month
from schools.hazards.codes import CATEGORIES, LEVELS
from tenancy.orgs.kinds import SCHOOL_KINDS

RATES = {
    "rectification_rate": "Share of the hazards found in the period that are rectified by now",
    "on_time_rate": "Share of the period's rectifications done by their deadline",
    "report_rate": "Share of the monthly reports due that came on time",
    "mean_days": "Mean days from finding to rectification",
    "p90_days": "90% of rectifications took at most this many days (bucket bound: 1, 3, 7, 14, 30, 60)",
}


def _month(value: str) -> None:
    if parse_month(value) is None:
        raise ValidationError("Use the form YYYY-MM, e.g. 2026-03.")


FiguresSchema = Schema.from_dict(
    {
        **{name: fields.Integer(dump_only=True) for name in UNIT_FIGURES},
        **{
            name: fields.Float(dump_only=True, allow_none=True, metadata={"description": text})
            for name, text in RATES.items()
        },
    },
    name="RollupFiguresSchema",
)


class MonthFiguresSchema(FiguresSchema):
    period = fields.String(dump_only=True, metadata={"description": "YYYY-MM"})


class ChildFiguresSchema(FiguresSchema):
    org_unit_id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    kind = fields.String(dump_only=True)


class RollupUnitSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    level = fields.Integer(dump_only=True)


class RollupSchema(Schema):
    org_unit = fields.Nested(RollupUnitSchema, dump_only=True)
    from_ = fields.String(data_key="from", dump_only=True)
    to = fields.String(dump_only=True)
    computed_from_records = fields.Boolean(
        dump_only=True, metadata={"description": "True when a filter made the figures come from the records"}
    )
    totals = fields.Nested(
        FiguresSchema, dump_only=True, metadata={"description": "Flows over the range, stocks at its end"}
    )
    months = fields.List(fields.Nested(MonthFiguresSchema), dump_only=True)
    children = fields.List(fields.Nested(ChildFiguresSchema), dump_only=True)


class RollupQuerySchema(Schema):
    org_unit = fields.Integer(
        required=True, metadata={"description": "The unit (its whole subtree); 404 outside scope"}
    )
    period = fields.String(
        validate=_month, metadata={"description": "One month, YYYY-MM (default: this month)"}
    )
    from_ = fields.String(
        data_key="from", validate=_month, metadata={"description": "First month of a range"}
    )
    to = fields.String(
        validate=_month, metadata={"description": "Last month of a range (not after this month)"}
    )
    category = fields.String(validate=validate.OneOf(list(CATEGORIES)))
    level = fields.String(validate=validate.OneOf(list(LEVELS)), metadata={"description": "Hazard level"})
    kind = fields.String(
        validate=validate.OneOf(sorted(SCHOOL_KINDS)), metadata={"description": "School kind"}
    )
    ownership = fields.String(validate=validate.OneOf(list(OWNERSHIP)))
    children = fields.Integer(
        load_default=0,
        validate=validate.OneOf([0, 1]),
        metadata={"description": "1: add one row per child unit"},
    )

    @validates_schema
    def _one_way(self, data, **_kwargs):
        if "period" in data and ("from_" in data or "to" in data):
            raise ValidationError("Give either period or from/to, not both.", "period")
