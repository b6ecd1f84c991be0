"""API shapes of users."""

from marshmallow import Schema, fields

from tenancy.orgs.schemas import OrgUnitSchema


class GrantSchema(Schema):
    role = fields.String()
    org_unit = fields.Nested(OrgUnitSchema(only=("id", "code", "name", "level", "kind")))


class MeSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    locale = fields.String(allow_none=True)
    tenant = fields.Method("tenant_code")
    grants = fields.List(fields.Nested(GrantSchema()))

    def tenant_code(self, user) -> str:
        from tenancy.extensions import db
        from tenancy.models import Tenant

        return db.session.get(Tenant, user.tenant_id).code
