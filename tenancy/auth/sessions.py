"""Who is logged in: session cookies with revocation and timeouts, and Bearer API tokens."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, g, session
from flask_login import logout_user
from sqlalchemy import select

from tenancy.extensions import db, login_manager
from tenancy.models import ApiToken, Operator, User, utcnow
from tenancy.scoping import unscoped

TOKEN_PREFIX = "sg_"


@login_manager.user_loader
def load_account(session_id: str):
    """Load the account behind a session id 'kind:id:token'; a stale token ends the session."""
    try:
        kind, raw_id, token = session_id.split(":", 2)
        account_id = int(raw_id)
    except ValueError:
        return None
    model = {"u": User, "o": Operator}.get(kind)
    if model is None:
        return None
    with unscoped():
        account = db.session.get(model, account_id)
    if account is None or not account.is_enabled or not secrets.compare_digest(account.session_token, token):
        return None
    # Whatever runs first (CSRF check, error page, view) works inside the user's tenant.
    g.tenant_id = account.tenant_id
    return account


def start_session(account) -> None:
    """Stamp a fresh session with its start and last-activity times."""
    now = utcnow().timestamp()
    session["login_at"] = now
    session["seen_at"] = now
    session.permanent = False


def enforce_timeouts() -> bool:
    """End the session if idle or too old; return True when it was ended."""
    if "login_at" not in session:
        return False
    now = datetime.now(UTC).timestamp()
    idle: timedelta = current_app.config["SESSION_IDLE_TIMEOUT"]
    absolute: timedelta = current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    if (
        now - session.get("seen_at", 0) > idle.total_seconds()
        or now - session["login_at"] > absolute.total_seconds()
    ):
        logout_user()
        session.clear()
        return True
    # Avoid rewriting the cookie on every request: refresh activity once a minute.
    if now - session.get("seen_at", 0) > 60:
        session["seen_at"] = now
    return False


def hash_token(secret: str) -> str:
    """Return the stored form of an API token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create an API token for the user; the secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        tenant_id=user.tenant_id,
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:10],
    )
    db.session.add(token)
    return token, secret


def user_for_token(secret: str) -> User | None:
    """Return the enabled user owning an unrevoked token, recording its use."""
    with unscoped():
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None))
        )
        if token is None or not token.user.is_enabled:
            return None
        g.tenant_id = token.tenant_id
        user = token.user
    now = utcnow()
    # Record use at most every few minutes, so reads do not turn into writes.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
        db.session.commit()
    return user
