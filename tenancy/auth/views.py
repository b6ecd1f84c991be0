"""Login, logout, language and the account page (password, API tokens)."""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tenancy import audit
from tenancy.auth import operations
from tenancy.auth.forms import LanguageForm, LoginForm, OperatorLoginForm, PasswordChangeForm, TokenForm
from tenancy.auth.passwords import check_password, password_problem
from tenancy.auth.sessions import issue_token
from tenancy.extensions import db, limiter
from tenancy.models import ApiToken, Operator, Tenant, User, utcnow
from tenancy.scoping import unscoped
from tenancy.web import form_status, require

TENANT_COOKIE = "safegrid_unit"


def _login_rate() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(default: str) -> str:
    """Follow ?next= only to a path on this site."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def _find_user(tenant_code: str, username: str) -> User | None:
    with unscoped():
        tenant = db.session.scalar(select(Tenant).where(Tenant.code == tenant_code, Tenant.is_active))
        if tenant is None:
            return None
        return db.session.scalar(select(User).where(User.tenant_id == tenant.id, User.username == username))


@limiter.limit(_login_rate, methods=["POST"])
def login():
    """Log a tenant user in with unit code, user name and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(tenant=request.cookies.get(TENANT_COOKIE, ""))
    if form.validate_on_submit():
        tenant_code = form.tenant.data.strip()
        user = _find_user(tenant_code, form.username.data.strip())
        if user is not None:
            g.tenant_id = user.tenant_id  # lockout counters and audit rows belong to that tenant
        result = operations.attempt_login(user, form.password.data)
        db.session.commit()
        if result.ok:
            response = redirect(_safe_next(url_for("home.index")))
            response.set_cookie(
                TENANT_COOKIE, tenant_code, max_age=365 * 86400, httponly=True, samesite="Lax"
            )
            return response
        flash(result.message, "error")
    return render_template("tenancy/auth/login.html", form=form, language_form=LanguageForm())


@limiter.limit(_login_rate, methods=["POST"])
def operator_login():
    """Log a platform operator in."""
    form = OperatorLoginForm()
    if form.validate_on_submit():
        with unscoped():
            operator = db.session.scalar(
                select(Operator).where(Operator.username == form.username.data.strip())
            )
        result = operations.attempt_login(operator, form.password.data)
        db.session.commit()
        if result.ok:
            return redirect(_safe_next(url_for("platform.list_tenants")))
        flash(result.message, "error")
    return render_template("tenancy/auth/operator_login.html", form=form, language_form=LanguageForm())


@login_required
def logout():
    """Log out, ending every session of this account."""
    operations.logout(current_user._get_current_object())
    db.session.commit()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def set_language():
    """Switch the interface language, saved on the account when logged in."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(_safe_next(request.referrer if _is_local(request.referrer) else url_for("home.index")))


def _is_local(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.netloc in ("", request.host)


@require("read")
def account():
    """Show the account page: password change and API tokens."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template(
        "tenancy/auth/account.html",
        tokens=tokens,
        password_form=PasswordChangeForm(),
        token_form=TokenForm(),
        new_secret=session.pop("new_token_secret", None),
    )


@login_required
def change_password():
    """Change one's own password; other sessions end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        account_ = current_user._get_current_object()
        problem = password_problem(form.new.data)
        if not check_password(account_, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        elif problem:
            form.new.errors.append(problem)
        else:
            operations.change_password(account_, form.new.data)
            db.session.commit()
            flash(_("Your password has been changed. Other sessions were logged out."), "success")
            return redirect(url_for("auth.account"))
    status = form_status()
    return render_template("tenancy/auth/password.html", password_form=form), status


@require("read")
def create_token():
    """Create an API token for oneself; the secret is shown once."""
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name."), "error")
        return redirect(url_for("auth.account"))
    token, secret = issue_token(current_user, form.name.data.strip())
    audit.record("api_token.create", token, summary=token.name)
    db.session.commit()
    session["new_token_secret"] = secret
    return redirect(url_for("auth.account"))


@require("read")
def revoke_token(token_id: int):
    """Revoke one of one's own API tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token.revoke", token, summary=token.name)
        db.session.commit()
    flash(_("The token was revoked."), "success")
    return redirect(url_for("auth.account"))
