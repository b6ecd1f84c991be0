"""The start page: what the user oversees and where to go next."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from schools.units import keeps_records
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import ROLE_LABELS, Role


def index():
    """Send each visitor to the right place: login, the operator's tenants, or their units."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.is_operator:
        return redirect(url_for("platform.list_tenants"))
    grants = [
        (grant, ROLE_LABELS[Role(grant.role)], breadcrumbs(grant.org_unit), keeps_records(grant.org_unit))
        for grant in current_user.grants
    ]
    return render_template("bureau/home/index.html", grants=grants)
