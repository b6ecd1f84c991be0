"""/api/v1/contacts: list, read and add joint-prevention contacts."""

from flask import Blueprint

from schools.contacts import operations
from schools.contacts.models import Contact
from schools.contacts.queries import KIND_ORDER, filter_contacts, visible_contacts
from schools.contacts.schemas import ContactCreateSchema, ContactQuerySchema, ContactSchema
from schools.units import get_school_or_404
from tenancy.api.base import documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List joint-prevention contacts in scope (active ones unless include_inactive)",
    response=ContactSchema(),
    query=ContactQuerySchema(),
    paginated=True,
)
def list_contacts():
    args = load_args(ContactQuerySchema())
    if "school_id" in args:
        get_school_or_404(args["school_id"])
    query = filter_contacts(
        visible_contacts(),
        school_id=args.get("school_id"),
        kind=args.get("kind", ""),
        include_inactive=args["include_inactive"],
    )
    return paginated(query.order_by(Contact.org_unit_id, KIND_ORDER, Contact.id), ContactSchema())


@documented(
    summary="Add a partner contact to a school (school admins)",
    response=ContactSchema(),
    body=ContactCreateSchema(),
)
def create_contact():
    values = ContactCreateSchema().load(json_body())
    school = get_school_or_404(values["school_id"], permission="contact.manage")
    try:
        contact = operations.add_contact(school, values)
    except operations.ContactError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return ContactSchema().dump(contact), 201


@documented(summary="One joint-prevention contact", response=ContactSchema())
def get_contact(contact_id: int):
    return ContactSchema().dump(get_scoped_or_404(Contact, contact_id))


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
    bp.add_url_rule("/contacts", view_func=list_contacts, methods=["GET"])
    bp.add_url_rule("/contacts", endpoint="create_contact", view_func=create_contact, methods=["POST"])
    bp.add_url_rule("/contacts/<int:contact_id>", view_func=get_contact, methods=["GET"])
