"""`safegrid check`: the readiness checks of /readyz, one line each, for operators."""

import json

import click
from flask.cli import with_appcontext

from tenancy.ops.health import JUDGED, Readiness, check_readiness


def _counts(values: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in values.items()) or "unknown (Redis unavailable)"


def _describe(name: str, check: dict) -> str:
    """What a check found, in a few words."""
    if name == "database" or name == "redis":
        return f"{check['ms']} ms" if "ms" in check else ""
    if name == "migrations" and "state" in check:
        current = check["current"] or "none"
        return {
            "at_head": f"at head {check['head']}",
            "ahead": f"database at {current}, ahead of this code's head {check['head']} (a newer release)",
            "behind": f"database at {current}, head is {check['head']}: run `safegrid db upgrade`",
            "none": f"no migrations applied; head is {check['head']}: run `safegrid db upgrade`",
        }[check["state"]]
    if name == "outbox" and "pending" in check:
        oldest = check["oldest_age_seconds"]
        age = "" if oldest is None else f", oldest {oldest} s"
        return f"{check['pending']} unfinished{age} (limit {check['max_age_seconds']} s)"
    return ""


def report_lines(report: Readiness) -> list[str]:
    """One line per check, then the verdict."""
    lines = []
    for name, check in report.checks.items():
        if name in JUDGED:
            state = "ok" if check.get("ok") else "FAIL"
            text = _describe(name, check)
            if name in report.details:
                text = f"{text}  {report.details[name]}".strip()
            elif check.get("error") and not text:
                text = check["error"]
        else:
            state, text = "", _counts(check)
        lines.append(f"{name.replace('_', ' '):12} {state:4}  {text}".rstrip())
    lines.append("ready" if report.ok else "NOT READY")
    return lines


@click.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the /readyz JSON instead.")
@with_appcontext
def check(as_json: bool) -> None:
    """Check database, Redis, migrations, queues and outbox; exit 1 when not ready."""
    report = check_readiness()
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        for line in report_lines(report):
            click.echo(line)
    click.get_current_context().exit(0 if report.ok else 1)
