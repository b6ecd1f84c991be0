"""`safegrid assess` (compute a year now) and `safegrid export assessment` (write the workbook)."""

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from bureau.assessment.export import assessment_workbook
from bureau.assessment.operations import AssessmentError, compute, create_rubric
from bureau.assessment.queries import rubric_of
from tenancy.cli import use_tenant
from tenancy.extensions import db
from tenancy.scoping import tenant_root

export_cli = AppGroup("export", help="Exports to files.")


@click.command("assess")
@click.option("--tenant", "tenant_code", required=True, help="Tenant code.")
@click.argument("year", type=click.IntRange(2000, 2100))
@with_appcontext
def assess_cli(tenant_code: str, year: int) -> None:
    """Compute the year's assessment now (a preview through today while the year runs)."""
    use_tenant(tenant_code)
    rubric = rubric_of(year)
    try:
        if rubric is None:
            rubric = create_rubric(year)
            click.echo(f"{tenant_code}: {year} rubric created from the default one")
        done = compute(rubric)
    except AssessmentError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(
        f"{tenant_code} {year}: {done.schools} school(s) through {done.last_day} in {done.seconds:.2f} s"
    )


@export_cli.command("assessment")
@click.option("--tenant", "tenant_code", required=True, help="Tenant code.")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_assessment_cli(tenant_code: str, year: int, file: Path) -> None:
    """Write the year's assessment (summary and one sheet per central school) to an Excel FILE."""
    use_tenant(tenant_code)
    rubric = rubric_of(year)
    if rubric is None or rubric.computed_at is None:
        raise click.ClickException(
            f"the {year} assessment of {tenant_code} has not been computed; run safegrid assess"
        )
    file.write_bytes(assessment_workbook(rubric, tenant_root()))
    click.echo(f"{tenant_code} {year}: written to {file}")
