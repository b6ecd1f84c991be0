"""Core models of the foundation; importing this package registers them all."""

from tenancy.models.audit import AuditEvent
from tenancy.models.base import TenantScoped, utcnow
from tenancy.models.org import OrgUnit, OrgUnitParentPeriod
from tenancy.models.outbox import OutboxItem
from tenancy.models.tenant import Tenant, TenantSetting
from tenancy.models.user import ApiToken, Operator, RoleGrant, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Operator",
    "OrgUnit",
    "OrgUnitParentPeriod",
    "OutboxItem",
    "RoleGrant",
    "Tenant",
    "TenantScoped",
    "TenantSetting",
    "User",
    "utcnow",
]
