"""Create the demo district idempotently: tenant, org tree, one user per role, an operator."""

import logging
import random

from sqlalchemy import select

from bureau.demo import district
from bureau.demo.assessment import load_demo_assessment
from bureau.demo.contacts import load_demo_contacts
from bureau.demo.drills import load_demo_drills
from bureau.demo.duty import load_demo_duty
from bureau.demo.grid import load_demo_grid
from bureau.demo.hazards import load_demo_hazards
from bureau.demo.incidents import load_demo_incidents
from bureau.demo.letters import load_demo_letters
from bureau.demo.reporting import load_demo_notices, load_demo_reports, refresh_demo_flags
from bureau.demo.zeroreports import load_demo_zeroreports
from bureau.rollups.refresh import rebuild_all
from tenancy.audit import set_actor
from tenancy.extensions import db
from tenancy.models import Operator, OrgUnit, Tenant, User
from tenancy.orgs.operations import create_org, update_org
from tenancy.platform.operations import create_operator, create_tenant
from tenancy.scoping import tenant_context, unscoped
from tenancy.users.operations import create_user

log = logging.getLogger(__name__)


def load_demo() -> Tenant:
    """Make sure the demo district exists; running it again changes nothing."""
    set_actor("demo-loader")
    with unscoped():
        tenant = db.session.scalar(select(Tenant).where(Tenant.code == district.TENANT_CODE))
        if db.session.scalar(select(Operator).where(Operator.username == district.DEMO_OPERATOR[0])) is None:
            create_operator(*district.DEMO_OPERATOR, display_name="平台运维")
    if tenant is None:
        tenant, bureau = create_tenant(district.TENANT_CODE, district.TENANT_NAME)
        with tenant_context(tenant.id):
            update_org(
                bureau, code=district.BUREAU_CODE, name=district.BUREAU_NAME, kind="bureau", is_private=False
            )
    with tenant_context(tenant.id):
        _load_orgs()
        _load_users()
        load_demo_hazards()
        load_demo_grid()
        load_demo_reports()
        load_demo_notices()
        load_demo_contacts()
        load_demo_drills()
        load_demo_duty()
        load_demo_incidents()
        load_demo_letters()
        load_demo_zeroreports()
        refresh_demo_flags()
        rebuild_all()  # the dashboards' figures, at once rather than after the nightly run
        load_demo_assessment()  # computed from the rollups just rebuilt
        db.session.commit()
    return tenant


def _load_orgs() -> None:
    by_code = {org.code: org for org in db.session.scalars(select(OrgUnit))}
    for row in district.ORG_ROWS:
        if row.code in by_code:
            continue
        by_code[row.code] = create_org(
            code=row.code,
            name=row.name,
            kind=row.kind,
            parent=by_code[row.parent_code],
            is_private=row.is_private,
        )


def _load_users() -> None:
    existing = set(db.session.scalars(select(User.username)))
    for demo_user in district.DEMO_USERS:
        if demo_user.username in existing:
            continue
        org = db.session.scalar(select(OrgUnit).where(OrgUnit.code == demo_user.org_code))
        create_user(
            username=demo_user.username,
            display_name=demo_user.display_name,
            password=demo_user.password,
            role=demo_user.role,
            org=org,
            phone=district.phone_number(random.Random(demo_user.username)),
        )


def demo_logins() -> list[tuple[str, str, str, str]]:
    """Return (unit code, user name, password, role) of every demo login, for printing."""
    rows = [
        ("—", district.DEMO_OPERATOR[0], district.DEMO_OPERATOR[1], "platform operator (/platform/login)")
    ]
    rows += [
        (district.TENANT_CODE, u.username, u.password, f"{u.role} @ {u.org_code}")
        for u in district.DEMO_USERS
    ]
    return rows
