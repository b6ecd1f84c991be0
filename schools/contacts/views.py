"""Joint-prevention contact pages: a school's partners, adding and changing them, the gaps."""

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from schools.contacts import operations
from schools.contacts.export import gaps_workbook
from schools.contacts.forms import ContactForm
from schools.contacts.models import PARTNER_KINDS, Contact
from schools.contacts.queries import REQUIRED_KINDS, contact_gaps, school_contacts
from schools.units import get_school_or_404
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.orgs.queries import breadcrumbs
from tenancy.roles import can
from tenancy.scoping import get_scoped_or_404
from tenancy.settings.store import tenant_today
from tenancy.web import form_status, require

LABELS = {"kinds": PARTNER_KINDS, "required_kinds": REQUIRED_KINDS}


def _contact_school(school_id: int, permission: str | None = None) -> OrgUnit:
    """Load a school that keeps contacts in scope; grade groups use their school's (404)."""
    school = get_school_or_404(school_id, permission=permission)
    if not operations.keeps_contacts(school):
        abort(404)
    return school


def _show_error(form: ContactForm, error: operations.ContactError) -> None:
    field = getattr(form, error.field or "", None)
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


@require("read")
def list_contacts(school_id: int):
    """The school's partner units, with what is missing."""
    school = _contact_school(school_id)
    contacts = school_contacts(school)
    active_kinds = {contact.kind for contact in contacts if contact.is_active}
    return render_template(
        "schools/contacts/list.html",
        school=school,
        crumbs=breadcrumbs(school),
        contacts=contacts,
        missing=[kind for kind in PARTNER_KINDS if kind not in active_kinds],
        may_manage=can("contact.manage", school),
        **LABELS,
    )


def _contact_form(school: OrgUnit, form: ContactForm, contact: Contact | None):
    """Save the form (a new contact when `contact` is None) or show it again with its errors."""
    if form.validate_on_submit():
        try:
            if contact is None:
                operations.add_contact(school, form.data)
            else:
                operations.update_contact(contact, form.data)
            db.session.commit()
            flash(_("Contact saved."), "success")
            return redirect(url_for("contacts.list_contacts", school_id=school.id))
        except operations.ContactError as error:
            db.session.rollback()
            _show_error(form, error)
    return render_template(
        "schools/contacts/form.html", school=school, crumbs=breadcrumbs(school), form=form, contact=contact
    ), form_status()


@require("read")
def new_contact(school_id: int):
    """Add a partner contact."""
    school = _contact_school(school_id, permission="contact.manage")
    form = ContactForm()
    if request.method == "GET" and request.args.get("kind") in PARTNER_KINDS:
        form.kind.data = request.args["kind"]
    return _contact_form(school, form, None)


@require("read")
def edit_contact(contact_id: int):
    """Change a partner contact."""
    contact = get_scoped_or_404(Contact, contact_id, permission="contact.manage")
    return _contact_form(contact.school, ContactForm(obj=contact), contact)


@require("read")
def set_contact_active(contact_id: int):
    """Deactivate a contact (active=0) or reactivate it (active=1)."""
    contact = get_scoped_or_404(Contact, contact_id, permission="contact.manage")
    active = request.form.get("active")
    if active not in ("0", "1"):
        abort(400)
    operations.set_active(contact, active == "1")
    db.session.commit()
    flash(_("Contact reactivated.") if active == "1" else _("Contact deactivated."), "success")
    return redirect(url_for("contacts.list_contacts", school_id=contact.org_unit_id))


def area_unit() -> OrgUnit:
    """The unit a page about "my area" shows: ?unit=<id> in scope, else the highest unit the user
    holds a role at (the bureau for bureau users)."""
    unit_id = request.args.get("unit", "")
    if unit_id.isdigit():
        return get_scoped_or_404(OrgUnit, int(unit_id))
    return min((grant.org_unit for grant in current_user.grants), key=lambda unit: (unit.level, unit.id))


@require("read")
def gaps():
    """Schools of the user's area missing a police-station or CDC contact (?format=xlsx exports)."""
    unit = area_unit()
    found, checked = contact_gaps(unit)
    if request.args.get("format") == "xlsx":
        return send_file(
            io.BytesIO(gaps_workbook(found, unit.name)),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            as_attachment=True,
            download_name=f"contact-gaps-{unit.code}-{tenant_today():%Y%m%d}.xlsx",
        )
    return render_template(
        "schools/contacts/gaps.html",
        unit=unit,
        crumbs=breadcrumbs(unit),
        gaps=found,
        checked=checked,
        **LABELS,
    )
