"""`safegrid backup FILE`, `safegrid restore FILE [--yes]`, `safegrid migrate-data --from URL --to URL`."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from tenancy.backup import BackupError
from tenancy.backup.digest import format_checks
from tenancy.backup.migrate import BATCH_SIZE, migrate_data
from tenancy.backup.operations import create_backup, restore_backup
from tenancy.backup.schema import hide_password


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write one archive (tar.gz) of the database, the uploaded files and a manifest to FILE."""
    try:
        summary = create_backup(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Wrote {summary.path} ({_megabytes(summary.size)}): {summary.dialect} database at revision "
        f"{summary.revision or 'none'}, {summary.tables} tables, {summary.rows:,} rows, "
        f"{summary.files:,} files, in {summary.seconds:.1f} s."
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data (and its files).")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Restore the database and uploaded files from a backup archive FILE, then compare with its manifest."""
    try:
        report = restore_backup(file, replace=yes)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    for line in format_checks(report.tables, "rows (archive)", "rows (restored)"):
        click.echo(line)
    files = report.files
    click.echo(
        f"files: {files.expected:,} in the archive; {len(files.missing)} missing, "
        f"{len(files.changed)} different, {len(files.extra)} not in the archive"
    )
    for label, paths in (("missing", files.missing), ("different", files.changed), ("extra", files.extra)):
        for path in paths[:10]:
            click.echo(f"  {label}: {path}")
    if report.archive_revision and report.archive_revision != report.head:
        click.echo(
            f"The archive is at migration revision {report.archive_revision}; this version's head is "
            f"{report.head}: run `safegrid db upgrade` next."
        )
    if not report.ok:
        differing = sum(not check.ok for check in report.tables)
        click.echo(
            f"Restored in {report.seconds:.1f} s, but {differing} table(s) or the files differ.", err=True
        )
        sys.exit(1)
    rows = sum(check.found_rows or 0 for check in report.tables)
    click.echo(
        f"Restored {len(report.tables)} tables ({rows:,} rows) and {files.expected:,} files in "
        f"{report.seconds:.1f} s: row counts and checksums match the archive."
    )


@click.command("migrate-data")
@click.option("--from", "source", required=True, metavar="URL", help="Database to copy from.")
@click.option(
    "--to", "target", required=True, metavar="URL", help="Database to copy into (at the migration head)."
)
@click.option("--tenant", "tenant_code", metavar="CODE", help="Copy only this tenant (default: all of them).")
@click.option(
    "--batch-size", default=BATCH_SIZE, show_default=True, type=click.IntRange(1), help="Rows per insert."
)
@with_appcontext
def migrate_data_command(source: str, target: str, tenant_code: str | None, batch_size: int) -> None:
    """Copy all data (or one tenant's) from one database to another and compare row counts and checksums."""

    def progress(table: str, rows: int, seconds: float) -> None:
        click.echo(f"  {table}: {rows:,} rows in {seconds:.2f} s")

    what = f"tenant {tenant_code}" if tenant_code else "all tenants"
    click.echo(f"Copying {what} from {hide_password(source)} to {hide_password(target)}")
    try:
        report = migrate_data(source, target, tenant_code, batch_size, progress)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    for line in format_checks(report.tables, "source rows", "target rows"):
        click.echo(line)
    if report.skipped:
        click.echo(f"Not copied with --tenant (global): {', '.join(report.skipped)}")
    if not report.ok:
        differing = sum(not check.ok for check in report.tables)
        click.echo(f"{differing} table(s) differ between source and target.", err=True)
        sys.exit(1)
    rows = sum(report.copied.values())
    click.echo(
        f"Copied {rows:,} rows of {len(report.copied)} tables in {report.copy_seconds:.1f} s "
        f"({report.total_seconds:.1f} s with the checks): counts and checksums match. Uploaded files are "
        "not in the database: copy the instance folder's uploads/ when the target runs elsewhere."
    )
