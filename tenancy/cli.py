"""`safegrid tenant|org|user` commands; each calls an operation and commits once."""

import getpass
import os
import sys
from pathlib import Path

import click
from flask import g
from flask.cli import AppGroup
from sqlalchemy import select

from tenancy import audit
from tenancy.audit import set_actor
from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import OrgUnit, Tenant, User
from tenancy.orgs.importer import apply_org_import, plan_org_import
from tenancy.platform.operations import TenantError, create_tenant
from tenancy.roles import ROLE_LABELS
from tenancy.scoping import unscoped
from tenancy.users.operations import UserError, create_user

tenant_cli = AppGroup("tenant", help="Tenants (one per district bureau).")
org_cli = AppGroup("org", help="The org tree of a tenant.")
user_cli = AppGroup("user", help="Users and API tokens.")


def act_as_cli() -> None:
    """Name the operating-system user as the actor of what the command records."""
    set_actor(f"cli:{os.environ.get('USER') or getpass.getuser()}")


def use_tenant(code: str) -> Tenant:
    """Enter the tenant CODE for the rest of the command, or stop with a clear message."""
    with unscoped():
        tenant = db.session.scalar(select(Tenant).where(Tenant.code == code))
    if tenant is None:
        raise click.BadParameter(f"no tenant with code {code!r}", param_hint="--tenant")
    g.tenant_id = tenant.id
    act_as_cli()
    return tenant


def tenants_to_run(code: str | None) -> list[tuple[int, str]]:
    """(id, code) of the tenant CODE, or of every active tenant when no code is given."""
    if code:
        tenant = use_tenant(code)
        return [(tenant.id, tenant.code)]
    act_as_cli()
    with unscoped():
        rows = db.session.execute(
            select(Tenant.id, Tenant.code).where(Tenant.is_active).order_by(Tenant.code)
        )
        return [tuple(row) for row in rows]


@tenant_cli.command("create")
@click.argument("code")
@click.argument("name")
def tenant_create(code: str, name: str) -> None:
    """Create a tenant with its bureau org unit (code CODE, name NAME)."""
    act_as_cli()
    try:
        tenant, bureau = create_tenant(code, name)
    except TenantError as error:
        raise click.BadParameter(
            str(error), param_hint=error.field.upper() if error.field else None
        ) from None
    message = f"Created tenant {tenant.code} with bureau {bureau.code} {bureau.name}"
    db.session.commit()
    click.echo(message)


@org_cli.command("import")
@click.option("--tenant", "tenant_code", required=True, help="Tenant code.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def org_import(tenant_code: str, dry_run: bool, file: Path) -> None:
    """Import an org tree from CSV/xlsx with header code,name,level,parent_code,kind,is_private."""
    use_tenant(tenant_code)
    plan = plan_org_import(file.read_bytes(), file.name)
    for error in plan.errors:
        where = f"row {error.row}" if error.row else "file"
        column = f", column {error.column}" if error.column else ""
        click.echo(f"{file.name}: {where}{column}: {error.message}", err=True)
    if not plan.ok:
        click.echo(f"{len(plan.errors)} problem(s); nothing was written.", err=True)
        sys.exit(2)
    if dry_run:
        click.echo(f"{len(plan.rows)} rows are valid; nothing was written (dry run).")
        return
    counts = apply_org_import(plan)
    db.session.commit()
    click.echo(
        "Imported: {create} added, {update} changed, {move} moved, {unchanged} unchanged.".format(**counts)
    )


@user_cli.command("create")
@click.option("--tenant", "tenant_code", required=True, help="Tenant code.")
@click.option("--org", "org_code", required=True, help="Code of the org unit the role is granted at.")
@click.option("--role", required=True, type=click.Choice([role.value for role in ROLE_LABELS]), help="Role.")
@click.option("--password", help="Initial password (prompted when omitted).")
@click.option("--name", "display_name", default="", help="Full name.")
@click.argument("username")
def user_create(
    tenant_code: str, org_code: str, role: str, password: str | None, display_name: str, username: str
):
    """Create a user with one role grant."""
    use_tenant(tenant_code)
    org = db.session.scalar(select(OrgUnit).where(OrgUnit.code == org_code))
    if org is None:
        raise click.BadParameter(f"no org unit with code {org_code!r} in {tenant_code}", param_hint="--org")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            username=username, display_name=display_name, password=password, role=role, org=org
        )
    except UserError as error:
        hint = {"username": "USERNAME", "password": "--password", "role": "--role"}.get(error.field or "")
        raise click.BadParameter(str(error), param_hint=hint) from None
    db.session.commit()
    click.echo(f"Created user {user.username} as {role} at {org.code} {org.name}")


@user_cli.command("token")
@click.option("--tenant", "tenant_code", required=True, help="Tenant code.")
@click.option("--name", default="cli", help="A name to recognise the token by.")
@click.argument("username")
def user_token(tenant_code: str, name: str, username: str) -> None:
    """Print a new API token for USERNAME (shown once)."""
    use_tenant(tenant_code)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.BadParameter(f"no user {username!r} in {tenant_code}", param_hint="USERNAME")
    token, secret = issue_token(user, name)
    audit.record("api_token.create", token, summary=f"{user.username}: {name}")
    db.session.commit()
    click.echo(secret)
