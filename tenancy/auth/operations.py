"""Login attempts with per-account lockout, logout, password change."""

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from tenancy import audit
from tenancy.auth.passwords import check_password, hash_password
from tenancy.auth.sessions import start_session
from tenancy.models import utcnow


class _Nobody:
    """Stands in for an unknown user so that a miss costs as much as a wrong password."""

    password_hash = ""


@cache
def _dummy_hash(params: tuple[int, int, int]) -> str:
    return hash_password("not-a-password")


@dataclass
class LoginResult:
    ok: bool
    message: str = ""


def attempt_login(account, password: str) -> LoginResult:
    """Check a password, locking the account after repeated failures; log in on success."""
    generic = _("Wrong unit code, user name or password.")
    if account is None:
        nobody = _Nobody()
        config = current_app.config
        nobody.password_hash = _dummy_hash(
            (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])
        )
        check_password(nobody, password)
        return LoginResult(False, generic)
    now = utcnow()
    if account.locked_until is not None and account.locked_until > now:
        return LoginResult(
            False,
            _(
                "This account is locked after repeated failed logins until %(time)s. "
                "Wait, or ask an administrator to unlock it.",
                time=format_datetime(account.locked_until, "short"),
            ),
        )
    if not account.is_enabled:
        check_password(account, password)
        return LoginResult(False, generic)
    if not check_password(account, password):
        account.failed_login_count = (account.failed_login_count or 0) + 1
        config = current_app.config
        if account.failed_login_count >= config["LOCKOUT_THRESHOLD"]:
            account.locked_until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
            account.failed_login_count = 0
            _audit(account, "auth.locked")
        else:
            _audit(account, "auth.login_failed")
        return LoginResult(False, generic)
    account.failed_login_count = 0
    account.locked_until = None
    account.last_login_at = now
    login_user(account)
    start_session(account)
    _audit(account, "auth.login")
    return LoginResult(True)


def _audit(account, action: str) -> None:
    if account.is_operator:
        return  # operators have no tenant; their tenant-level acts are audited in that tenant
    audit.record(action, account, changes={}, summary=account.username)


def logout(account) -> None:
    """Log out and end every other session of the same account."""
    account.end_all_sessions()
    _audit(account, "auth.logout")
    logout_user()


def change_password(account, new_password: str) -> None:
    """Set a new password, ending every other session; the current one is renewed."""
    account.password_hash = hash_password(new_password)
    account.password_changed_at = utcnow()
    account.end_all_sessions()
    _audit(account, "auth.password_changed")
    login_user(account)
    start_session(account)
