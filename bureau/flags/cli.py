"""`safegrid flags`: recompute the flags now and list the open ones."""

import json

import click
from flask.cli import with_appcontext

from bureau.flags.operations import refresh_all
from bureau.flags.queries import tenant_open_flags
from tenancy.cli import tenants_to_run
from tenancy.extensions import db
from tenancy.scoping import tenant_context


@click.command("flags")
@click.option("--tenant", "tenant_code", help="Tenant code (default: every active tenant).")
@click.option("--json", "as_json", is_flag=True, help="Print the open flags as a JSON list.")
@with_appcontext
def flags_cli(tenant_code: str | None, as_json: bool) -> None:
    """Recompute every school's flags (one tenant or all) and list the open ones."""
    listing = []
    for tenant_id, code in tenants_to_run(tenant_code):
        with tenant_context(tenant_id):
            changes = refresh_all()
            db.session.commit()
            rows = tenant_open_flags()
            click.echo(
                f"{code}: {len(rows)} open flag(s); {changes.raised} raised, {changes.cleared} cleared now.",
                err=as_json,
            )
            for flag, unit in rows:
                listing.append(
                    {
                        "tenant": code,
                        "unit_code": unit.code,
                        "unit": unit.name,
                        "kind": flag.kind,
                        "subject": flag.subject,
                        "raised_at": flag.raised_at.isoformat(),
                        "details": flag.details,
                    }
                )
    if as_json:
        click.echo(json.dumps(listing, ensure_ascii=False, indent=1))
        return
    for row in listing:
        click.echo(
            f"{row['tenant']}\t{row['unit_code']}\t{row['unit']}\t{row['kind']}\t{row['subject']}\t{row['raised_at']}"
        )
