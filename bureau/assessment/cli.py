"""`safegrid assess` (compute a year now) and `safegrid export assessment` (write the workbook)."""

import os
import tempfile
import time
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
    created = rubric is None
    try:
        if created:
            rubric = create_rubric(year)
        done = compute(rubric)
    except AssessmentError as error:
        db.session.rollback()
        details = [f"  {code}: {'; '.join(found)}" for code, found in error.problems.items()]
        raise click.ClickException("\n".join([str(error), *details])) from None
    db.session.commit()
    if created:
        click.echo(f"{tenant_code}: {year} rubric created from the default one")
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
    folder = file.resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise click.BadParameter(f"cannot write into {folder}: no such writable directory", param_hint="FILE")
    started = time.perf_counter()
    data = assessment_workbook(rubric, tenant_root())
    try:
        _write_whole(file, data)
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror or error}") from None
    click.echo(f"{tenant_code} {year}: written to {file} in {time.perf_counter() - started:.2f} s")


def _write_whole(file: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside FILE, then rename it: FILE is whole or untouched."""
    handle, temporary = tempfile.mkstemp(dir=file.resolve().parent, prefix=f".{file.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)  # mkstemp makes the file private; give it the usual permissions
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
