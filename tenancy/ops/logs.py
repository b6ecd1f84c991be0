"""Structured logs: every record carries the request id, the tenant and the user, or the job.

SAFEGRID_LOG_FORMAT=text (the default) writes one line per record with the ids in brackets:

    2026-05-04 09:00:00,123 INFO bureau.review.views [req=4f2a… tenant=qingshan#1 user=admin#3]: …

SAFEGRID_LOG_FORMAT=json writes one JSON object per line with the keys time (UTC, ISO 8601),
level, logger, message, request_id, tenant (code), tenant_id, user (user name; operators as
"operator:NAME"), user_id, job, job_id, and exc_info when an exception is logged.

The ids come from what the request or the job already holds (g.request_id, g.tenant_id,
Flask-Login's g._login_user, the RQ job being performed), so formatting a record never queries
the database. A request hook loads the session's account before the view runs, and refreshes
a small per-process cache of tenant codes at most once a minute over its own connection (a
tenant created since shows by id only until then).
"""

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_app_context, has_request_context, request
from flask_login import current_user
from rq import get_current_job
from sqlalchemy import event, select
from sqlalchemy import inspect as inspect_instance
from sqlalchemy.exc import SQLAlchemyError

from tenancy.extensions import db
from tenancy.models import Operator, Tenant, User

CONTEXT_FIELDS = ("request_id", "tenant", "tenant_id", "user", "user_id", "job", "job_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"
OUTBOX_ENTRY = "tenancy.jobs.run_outbox"  # its args are (tenant_id, job name, key)
CODES_REFRESH_SECONDS = 60
QUIET_ENDPOINTS = {"healthz", "readyz", "static"}

_tenant_codes: dict[int, str] = {}
_codes_loaded_at = {"at": float("-inf")}


@event.listens_for(Tenant, "load")
def _remember_tenant(tenant: Tenant, _context) -> None:
    code = tenant.__dict__.get("code")
    if code:
        _tenant_codes[tenant.id] = code


def _remember_name(account, *_args) -> None:
    """Keep the user name beside the mapped columns: a commit expires those, not this."""
    name = account.__dict__.get("username")
    if name:
        account._log_name = name


for _model in (User, Operator):
    event.listen(_model, "load", _remember_name)
    event.listen(_model, "refresh", _remember_name)


def remember_tenant_codes() -> None:
    """Refresh the per-process tenant id → code cache (one small query on its own connection)."""
    _codes_loaded_at["at"] = time.monotonic()
    table = Tenant.__table__
    try:
        with db.engine.connect() as connection:
            rows = connection.execute(select(table.c.id, table.c.code)).all()
    except SQLAlchemyError:
        return  # the request itself will meet the database problem and report it
    _tenant_codes.update({tenant_id: code for tenant_id, code in rows})


def forget_tenant_codes() -> None:
    """Make the next request reload the tenant codes."""
    _codes_loaded_at["at"] = float("-inf")


def _prepare_log_context() -> None:
    if request.endpoint in QUIET_ENDPOINTS:
        return
    if request.blueprint != "api":  # API requests are identified by their token, later
        # Load the session's account now (the response headers would anyway): every record the
        # request writes, from its first, then names the user and the tenant.
        try:
            current_user._get_current_object()
        except SQLAlchemyError:
            db.session.rollback()  # the view meets the database problem and reports it
    if time.monotonic() - _codes_loaded_at["at"] >= CODES_REFRESH_SECONDS:
        remember_tenant_codes()


def init_log_context(app: Flask) -> None:
    """Give every request's records their user and tenant from the start (a request hook)."""
    app.before_request(_prepare_log_context)


def _job_context(values: dict[str, Any]) -> None:
    job = get_current_job()
    if job is None:
        return
    values["job_id"] = job.id
    try:
        if job.func_name == OUTBOX_ENTRY and len(job.args) >= 2:
            values["tenant_id"], values["job"] = job.args[0], job.args[1]
        else:
            values["job"] = job.func_name
    except Exception:  # a job written with another serializer: its id is enough
        pass


def _request_context(values: dict[str, Any]) -> None:
    values["request_id"] = g.get("request_id")
    account = g.get("_login_user")  # set once Flask-Login (or the API's token check) has loaded it
    if not isinstance(account, User | Operator):
        return
    identity = inspect_instance(account).identity  # from the identity key: never loads anything
    values["user_id"] = identity[0] if identity else None
    name = account.__dict__.get("_log_name") or account.__dict__.get("username")
    if name and isinstance(account, Operator):
        name = f"operator:{name}"
    values["user"] = name


def log_context() -> dict[str, Any]:
    """The ids of the request or job running now (missing ones are None)."""
    values: dict[str, Any] = dict.fromkeys(CONTEXT_FIELDS)
    _job_context(values)
    if has_app_context():
        if g.get("tenant_id") is not None:
            values["tenant_id"] = g.get("tenant_id")
        if has_request_context():
            _request_context(values)
    if values["tenant_id"] is not None:
        values["tenant"] = _tenant_codes.get(values["tenant_id"])
    return values


class ContextFilter(logging.Filter):
    """Put the request id, tenant, user and job of the moment on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            values = log_context()
        except Exception:  # logging must never break the code that logs
            values = dict.fromkeys(CONTEXT_FIELDS)
        for name, value in values.items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


def context_text(record: logging.LogRecord) -> str:
    """' [req=… tenant=code#id user=name#id job=name#id]', or '' when the record has no ids."""
    parts = []
    if getattr(record, "request_id", None):
        parts.append(f"req={record.request_id}")
    if getattr(record, "job", None) or getattr(record, "job_id", None):
        parts.append(f"job={record.job or ''}#{record.job_id or ''}")
    if getattr(record, "tenant_id", None) is not None:
        parts.append(f"tenant={record.tenant or ''}#{record.tenant_id}")
    if getattr(record, "user_id", None) is not None or getattr(record, "user", None):
        parts.append(f"user={record.user or ''}#{record.user_id if record.user_id is not None else ''}")
    return f" [{' '.join(parts)}]" if parts else ""


class TextFormatter(logging.Formatter):
    """The classic line, with the record's ids in brackets after the logger name."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        record.context = context_text(record)
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            body[name] = getattr(record, name, None)
        if record.exc_info:
            body["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            body["exc_info"] = record.exc_text
        if record.stack_info:
            body["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(body, ensure_ascii=False, default=str)


class SafeGridHandler(logging.StreamHandler):
    """The handler configure_logging installs (told apart from handlers configured elsewhere)."""


def make_handler(fmt: str = "text", stream=None) -> logging.Handler:
    """A stream handler (stderr by default) writing `fmt` ("text" or "json") records with their ids."""
    handler = SafeGridHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    return handler


def configure_logging(fmt: str = "text", level: int = logging.INFO, stream=None) -> logging.Handler | None:
    """Send the process's log records to stderr as `fmt`, with their ids; returns the handler.

    Like logging.basicConfig, it leaves a root logger that something else has configured (a
    logging config file, a test runner) alone and returns None.
    """
    root = logging.getLogger()
    for handler in [handler for handler in root.handlers if isinstance(handler, SafeGridHandler)]:
        root.removeHandler(handler)
    if root.handlers:
        return None
    handler = make_handler(fmt, stream)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
