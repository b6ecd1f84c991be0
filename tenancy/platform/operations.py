"""What only the platform operator does: create tenants and their first bureau admin."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from tenancy import audit
from tenancy.auth.passwords import hash_password
from tenancy.extensions import db
from tenancy.models import Operator, OrgUnit, Tenant, User
from tenancy.orgs.operations import create_org
from tenancy.scoping import tenant_context, unscoped
from tenancy.users.operations import create_user

TENANT_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")


class TenantError(ValueError):
    """A tenant that cannot be created as asked; `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def create_tenant(code: str, name: str) -> tuple[Tenant, OrgUnit]:
    """Create a tenant and its bureau org unit (code CODE, name NAME)."""
    code, name = code.strip(), name.strip()
    if not TENANT_CODE.match(code):
        raise TenantError(_("Tenant codes use 2–40 lowercase letters, digits, '-' or '_'."), "code")
    if not name or len(name) > 120:
        raise TenantError(_("A name of 1 to 120 characters is required."), "name")
    with unscoped():
        if db.session.scalar(select(Tenant.id).where(Tenant.code == code)) is not None:
            raise TenantError(_("The tenant code %(code)s is taken.", code=code), "code")
    tenant = Tenant(code=code, name=name)
    db.session.add(tenant)
    db.session.flush()
    with tenant_context(tenant.id):
        bureau = create_org(code=code, name=name, kind="bureau", parent=None, audited=False)
        audit.record("tenant.create", bureau, changes=audit.snapshot(bureau), summary=f"{code} {name}")
    return tenant, bureau


def create_first_admin(tenant: Tenant, username: str, display_name: str, password: str) -> User:
    """Create the bureau admin of a new tenant."""
    with tenant_context(tenant.id):
        bureau = db.session.scalar(select(OrgUnit).where(OrgUnit.level == 1))
        return create_user(
            username=username, display_name=display_name, password=password, role="bureau_admin", org=bureau
        )


def create_operator(username: str, password: str, display_name: str = "") -> Operator:
    """Create a platform operator account."""
    operator = Operator(
        username=username, display_name=display_name or username, password_hash=hash_password(password)
    )
    db.session.add(operator)
    return operator
