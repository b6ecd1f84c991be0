"""URL rules of the contacts pages."""

from flask import Blueprint

from schools.contacts import views
from schools.contacts.models import PARTNER_KINDS

bp = Blueprint("contacts", __name__)

bp.add_url_rule("/schools/<int:school_id>/contacts/", view_func=views.list_contacts)
bp.add_url_rule("/schools/<int:school_id>/contacts/new", view_func=views.new_contact, methods=["GET", "POST"])
bp.add_url_rule("/contacts/<int:contact_id>/edit", view_func=views.edit_contact, methods=["GET", "POST"])
bp.add_url_rule("/contacts/<int:contact_id>/active", view_func=views.set_contact_active, methods=["POST"])
bp.add_url_rule("/contacts/gaps", view_func=views.gaps)


@bp.app_template_filter("partner_kind")
def partner_kind(kind: str) -> str:
    return str(PARTNER_KINDS.get(kind, kind))
