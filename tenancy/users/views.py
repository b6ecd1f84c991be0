"""User admin pages: list, create, edit, enable/disable, reset password, role grants."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from tenancy.extensions import db
from tenancy.models import OrgUnit, RoleGrant, User
from tenancy.orgs.queries import visible_units
from tenancy.roles import ROLE_LABELS
from tenancy.scoping import get_scoped_or_404
from tenancy.ui import paginate, sorted_by
from tenancy.users import operations
from tenancy.users.forms import EditUserForm, GrantForm, NewUserForm, ResetPasswordForm
from tenancy.web import form_status, require


def _org_choices(form) -> None:
    form.org_id.choices = [
        (unit.id, f"{'　' * (unit.level - 1)}{unit.name} ({unit.code})")
        for unit in db.session.scalars(visible_units(include_inactive=False))
    ]


@require("user.manage")
def list_users():
    """List the tenant's users with their roles, filtered and sorted."""
    query = select(User)
    search = request.args.get("q", "").strip()
    if search:
        pattern = f"%{search}%"
        query = query.where(or_(User.username.ilike(pattern), User.display_name.ilike(pattern)))
    role = request.args.get("role", "")
    if role in ROLE_LABELS:
        query = query.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == role)))
    query, sort = sorted_by(
        query,
        {"username": User.username, "name": User.display_name, "last_login": User.last_login_at},
        "username",
    )
    page = paginate(query)
    return render_template(
        "tenancy/users/list.html", page=page, sort=sort, roles=ROLE_LABELS, q=search, role=role
    )


def _fail(form, error: operations.UserError) -> None:
    db.session.rollback()
    field = getattr(form, error.field or "", None)
    if field is not None:
        field.errors.append(str(error))
    else:
        flash(str(error), "error")


@require("user.manage")
def new_user():
    """Create a user with one role at one unit."""
    form = NewUserForm()
    _org_choices(form)
    if form.validate_on_submit():
        org = get_scoped_or_404(OrgUnit, form.org_id.data, permission="user.manage")
        try:
            user = operations.create_user(
                username=form.username.data,
                display_name=form.display_name.data,
                phone=form.phone.data or "",
                password=form.password.data,
                role=form.role.data,
                org=org,
            )
            db.session.commit()
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("users.show_user", user_id=user.id))
        except operations.UserError as error:
            _fail(form, error)
    status = form_status()
    return render_template("tenancy/users/new.html", form=form), status


@require("read")
def show_user(user_id: int):
    """Show and edit one user."""
    user = get_scoped_or_404(User, user_id, permission="user.manage")
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        operations.update_user(user, display_name=form.display_name.data, phone=form.phone.data or "")
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("users.show_user", user_id=user.id))
    grant_form = GrantForm()
    _org_choices(grant_form)
    status = form_status()
    return render_template(
        "tenancy/users/detail.html",
        user=user,
        form=form,
        grant_form=grant_form,
        password_form=ResetPasswordForm(),
        roles=ROLE_LABELS,
    ), status


@require("read")
def set_enabled(user_id: int):
    """Enable or disable a user (disabling logs them out everywhere at once)."""
    user = get_scoped_or_404(User, user_id, permission="user.manage")
    operations.set_enabled(user, request.form.get("enabled") == "1")
    db.session.commit()
    flash(_("Enabled.") if user.is_enabled else _("Disabled; all of their sessions have ended."), "success")
    return redirect(url_for("users.show_user", user_id=user.id))


@require("read")
def reset_password(user_id: int):
    """Set a new password for a user."""
    user = get_scoped_or_404(User, user_id, permission="user.manage")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            operations.reset_password(user, form.password.data)
            db.session.commit()
            flash(_("Password reset; the user's sessions have ended."), "success")
        except operations.UserError as error:
            _fail(form, error)
            flash(str(error), "error")
    else:
        flash(_("Enter a new password."), "error")
    return redirect(url_for("users.show_user", user_id=user.id))


@require("read")
def unlock(user_id: int):
    """Lift a login lockout."""
    user = get_scoped_or_404(User, user_id, permission="user.manage")
    operations.unlock(user)
    db.session.commit()
    flash(_("Unlocked."), "success")
    return redirect(url_for("users.show_user", user_id=user.id))


@require("read")
def add_grant(user_id: int):
    """Grant a user another role."""
    user = get_scoped_or_404(User, user_id, permission="user.manage")
    form = GrantForm()
    _org_choices(form)
    if form.validate_on_submit():
        org = get_scoped_or_404(OrgUnit, form.org_id.data, permission="user.manage")
        try:
            operations.add_grant(user, form.role.data, org)
            db.session.commit()
            flash(_("Role granted."), "success")
        except operations.UserError as error:
            db.session.rollback()
            flash(str(error), "error")
    else:
        flash(_("Choose a role and an org unit."), "error")
    return redirect(url_for("users.show_user", user_id=user.id))


@require("read")
def remove_grant(user_id: int, grant_id: int):
    """Withdraw one of a user's roles."""
    user = get_scoped_or_404(User, user_id, permission="user.manage")
    grant = next((g for g in user.grants if g.id == grant_id), None)
    if grant is None:
        flash(_("No such role grant."), "error")
    else:
        operations.remove_grant(grant)
        db.session.commit()
        flash(_("Role withdrawn."), "success")
    return redirect(url_for("users.show_user", user_id=user.id))
