"""Per-request plumbing shared by every page: request id, tenant, timeouts, headers, locale."""

import re
import uuid
from functools import wraps

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from tenancy.auth.sessions import enforce_timeouts
from tenancy.extensions import babel
from tenancy.roles import ROLE_LABELS, can
from tenancy.settings.store import DEFAULTS, get_setting

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def select_locale() -> str:
    """Pick the user's saved language, then the session's, then the default (Chinese)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # CLI commands and jobs
    user_locale = getattr(current_user, "locale", None) if current_user else None
    for candidate in (user_locale, session.get("locale")):
        if candidate in languages:
            return candidate
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _assign_request_id() -> None:
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _enforce_session_timeouts() -> None:
    """End idle or too-old sessions (the user loader has already set the tenant)."""
    if request.blueprint == "api":
        return  # token requests carry no session
    if enforce_timeouts():
        flash(_("Your session has ended. Please log in again."), "info")


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user.is_authenticated:
        headers.setdefault("Cache-Control", "no-store")
    headers["X-Request-Id"] = g.get("request_id", "")
    return response


def select_timezone() -> str:
    """Show times in the tenant's time zone; before login, in the default one."""
    if g.get("tenant_id"):
        return get_setting("timezone")
    return DEFAULTS["timezone"]


def local_time(value, fmt: str = "medium") -> str:
    """Format a UTC timestamp in the tenant's time zone."""
    return "" if value is None else format_datetime(value, fmt)


def form_status() -> int:
    """The status of a page showing a form: 400 when it is shown again after a rejected POST."""
    return 400 if request.method == "POST" else 200


def require(permission: str = "read"):
    """Let a view run only for a tenant user holding `permission` somewhere in their grants."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.is_operator or not can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator


def require_operator(view):
    """Let a view run only for a platform operator."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.operator_login", next=request.full_path))
        if not current_user.is_operator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def init_web(app: Flask) -> None:
    """Install the request hooks, locale selection and template helpers."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.before_request(_assign_request_id)
    app.before_request(_enforce_session_timeouts)
    app.after_request(_security_headers)
    app.jinja_env.filters["localtime"] = local_time
    app.jinja_env.filters["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["get_locale"] = get_locale
