"""The `safegrid` command: a Flask CLI group with one sub-group per area."""

import click
from flask.cli import FlaskGroup, ScriptInfo, pass_script_info, with_appcontext

from bureau.assessment.cli import assess_cli, export_cli
from bureau.flags.cli import flags_cli
from bureau.rollups.cli import aggregate_cli
from schools.ledgers.cli import ledger_cli
from tenancy.backup.cli import backup_command, migrate_data_command, restore_command
from tenancy.cli import org_cli, tenant_cli, user_cli
from tenancy.ops.cli import check


@click.command("demo")
@click.option(
    "--serve", is_flag=True, help="Then serve web + worker (embedded Redis unless SAFEGRID_REDIS_URL)."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@with_appcontext
def demo(serve: bool, host: str, port: int) -> None:
    """Create (idempotently) the demo district and, with --serve, run web + worker."""
    from bureau.demo.loader import demo_logins, load_demo

    load_demo()
    click.echo("Demo district 青山县教育局 is ready. Logins (unit code / user / password / role):")
    for unit, username, password, role in demo_logins():
        click.echo(f"  {unit:10} {username:12} {password:15} {role}")
    if serve:
        from bureau.launcher import serve as run

        run(host, port)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Run the web server and an RQ worker (embedded Redis unless SAFEGRID_REDIS_URL)."""
    from bureau.launcher import serve as run

    run(host, port)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@pass_script_info
def worker(info: ScriptInfo, burst: bool) -> None:
    """Run an RQ worker with the scheduler."""
    from bureau.worker import run_worker

    run_worker(info.load_app(), burst=burst)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Write due ticks and reconcile once, then stop.")
@pass_script_info
def scheduler(info: ScriptInfo, once: bool) -> None:
    """Run the scheduler: periodic jobs per tenant (local time) and the outbox reconciler."""
    from bureau.scheduler import run_scheduler

    run_scheduler(info.load_app(), once=once)


def register_commands(app) -> None:  # called by create_app
    """Attach every safegrid command to the app's CLI group."""
    for command in (
        demo,
        serve,
        worker,
        scheduler,
        check,
        tenant_cli,
        org_cli,
        user_cli,
        ledger_cli,
        flags_cli,
        aggregate_cli,
        assess_cli,
        export_cli,
        backup_command,
        restore_command,
        migrate_data_command,
    ):
        app.cli.add_command(command)


def _create_app():
    from bureau.app import create_app  # bureau.app imports this module

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """SafeGrid: school-safety grid management (校园安全网格化管理)."""


def main() -> None:
    """Entry point of the `safegrid` console script."""
    cli(prog_name="safegrid")
