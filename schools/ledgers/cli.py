"""`safegrid ledger import|template`."""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from schools.ledgers.importer import import_ledger_file
from schools.ledgers.parser import parse_ledger
from schools.ledgers.template import write_template
from schools.units import keeps_records
from tenancy.cli import use_tenant
from tenancy.extensions import db
from tenancy.models import OrgUnit

ledger_cli = AppGroup("ledger", help="Hazard ledger files (隐患排查治理台账).")


@ledger_cli.command("import")
@click.option("--dry-run", is_flag=True, help="Parse and report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the dry-run JSON of LEDGER_FORMAT.md.")
@click.option("--tenant", "tenant_code", help="Tenant code (required to import).")
@click.option("--school", "school_code", help="Org code of the school (required to import).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def ledger_import(dry_run: bool, as_json: bool, tenant_code: str | None, school_code: str | None, file: Path):
    """Parse (and, without --dry-run, import) a ledger file; exit 2 when the file is refused."""
    if dry_run and not (tenant_code and school_code):
        parse = parse_ledger(file)
        _report(parse.to_json(), as_json)
        sys.exit(2 if parse.refused else 0)
    if not (tenant_code and school_code):
        raise click.UsageError("--tenant and --school are required to import (or use --dry-run)")
    use_tenant(tenant_code)
    school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == school_code))
    if school is None or not keeps_records(school):
        raise click.BadParameter(
            f"no school with code {school_code!r} in {tenant_code}", param_hint="--school"
        )
    plan, record = import_ledger_file(file, school, dry_run=dry_run)
    _report(plan.parse.to_json(), as_json)
    if plan.parse.refused:
        sys.exit(2)
    if record is not None:
        db.session.commit()
    counts = plan.counts
    click.echo(
        ("Would import" if dry_run else "Imported")
        + f": {counts['create']} new, {counts['update']} updated, {counts['unchanged']} unchanged,"
        f" {counts['errors']} rows with errors skipped.",
        err=as_json,
    )


def _report(result: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for error in result["errors"]:
        where = f"sheet {error['sheet']} " if error["sheet"] else ""
        row = f"row {error['row']}" if error["row"] else "file"
        column = f", column {error['column']}" if error["column"] else ""
        click.echo(f"{result['file']}: {where}{row}{column}: {error['message']}", err=True)
    click.echo(f"{len(result['rows'])} hazard rows read, {len(result['errors'])} rows with errors.")


@ledger_cli.command("template")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def ledger_template(file: Path | None) -> None:
    """Write the blank ledger template (to FILE, default 隐患排查治理台账模板.xlsx)."""
    target = file or Path("隐患排查治理台账模板.xlsx")
    write_template(target)
    click.echo(f"Wrote {target}")
