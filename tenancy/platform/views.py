"""Platform operator pages: the tenants of this installation."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from tenancy.extensions import db
from tenancy.models import OrgUnit, Tenant, User
from tenancy.platform import operations
from tenancy.platform.forms import TenantForm
from tenancy.scoping import unscoped
from tenancy.users.operations import UserError
from tenancy.web import form_status, require_operator


@require_operator
def list_tenants():
    """List every tenant with its size."""
    with unscoped():
        units = dict(
            db.session.execute(select(OrgUnit.tenant_id, func.count()).group_by(OrgUnit.tenant_id)).all()
        )
        users = dict(db.session.execute(select(User.tenant_id, func.count()).group_by(User.tenant_id)).all())
        tenants = db.session.scalars(select(Tenant).order_by(Tenant.code)).all()
    return render_template("tenancy/platform/tenants.html", tenants=tenants, units=units, users=users)


@require_operator
def new_tenant():
    """Create a tenant with its bureau and first bureau admin."""
    form = TenantForm()
    if form.validate_on_submit():
        try:
            tenant, _bureau = operations.create_tenant(form.code.data, form.name.data)
            operations.create_first_admin(
                tenant, form.admin_username.data, form.admin_name.data, form.admin_password.data
            )
            db.session.commit()
            flash(_("Tenant %(code)s created.", code=tenant.code), "success")
            return redirect(url_for("platform.list_tenants"))
        except (operations.TenantError, UserError) as error:
            db.session.rollback()
            field = {"username": "admin_username", "password": "admin_password"}.get(error.field, error.field)
            getattr(form, field or "code", form.code).errors.append(str(error))
    status = form_status()
    return render_template("tenancy/platform/new_tenant.html", form=form), status
