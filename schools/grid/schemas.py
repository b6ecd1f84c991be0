"""API shapes of the campus grid."""

from marshmallow import Schema, fields, validate

from schools.grid.kinds import KEY_AREA_LABELS, KIND_LABELS
from tenancy.settings.store import tenant_today


class StaffBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    position = fields.String()
    phone = fields.String()


class OwnerSchema(Schema):
    staff = fields.Nested(StaffBriefSchema())
    is_primary = fields.Boolean(metadata={"description": "Primary owner (true) or deputy (false)"})
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True, metadata={"description": "Last day, inclusive; null while open"})


class GridCellSchema(Schema):
    id = fields.Integer(dump_only=True)
    org_unit_id = fields.Integer(metadata={"description": "The school"})
    parent_id = fields.Integer(allow_none=True)
    name = fields.String()
    kind = fields.String(validate=validate.OneOf(list(KIND_LABELS)))
    is_key_area = fields.Boolean()
    key_area_kind = fields.String(allow_none=True, validate=validate.OneOf(list(KEY_AREA_LABELS)))
    starts_at = fields.Time(format="%H:%M", allow_none=True, metadata={"description": "Time-axis cells"})
    ends_at = fields.Time(format="%H:%M", allow_none=True)
    sort_order = fields.Integer()
    is_active = fields.Boolean()
    opened_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    owner = fields.Method("current_owner", metadata={"description": "Today's primary owner, or null"})
    deputies = fields.Method("current_deputies", metadata={"description": "Today's deputies"})

    def current_owner(self, cell) -> dict | None:
        primary = cell.primary_on(tenant_today())
        return OwnerSchema().dump(primary) if primary is not None else None

    def current_deputies(self, cell) -> list[dict]:
        return OwnerSchema().dump([p for p in cell.owners_on(tenant_today()) if not p.is_primary], many=True)


class GridCellQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(list(KIND_LABELS)))
    key_area = fields.Boolean(metadata={"description": "Only key areas (true) or only other cells (false)"})
    active = fields.Boolean(metadata={"description": "Open (true) or closed (false) cells; default both"})


class CellBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    is_key_area = fields.Boolean()
    key_area_kind = fields.String(allow_none=True)


class CoverageCountsSchema(Schema):
    cells = fields.Integer()
    covered = fields.Integer()
    blind_spots = fields.Integer()
    key_area_blind_spots = fields.Integer()
    staff = fields.Integer()
    staff_without_cell = fields.Integer()


class CoverageSchema(Schema):
    school_id = fields.Integer()
    on = fields.Date(attribute="day")
    counts = fields.Nested(CoverageCountsSchema())
    blind_spots = fields.List(
        fields.Nested(CellBriefSchema()),
        metadata={"description": "Open cells with no primary owner (监管盲区)"},
    )
    staff_without_cell = fields.List(fields.Nested(StaffBriefSchema()), attribute="idle_staff")


class CoverageQuerySchema(Schema):
    on = fields.Date(metadata={"description": "YYYY-MM-DD; default today in the tenant's time zone"})
