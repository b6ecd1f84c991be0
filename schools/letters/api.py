"""/api/v1/letters: list, read and issue responsibility letters; record a signature."""

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user

from schools.letters import operations
from schools.letters.models import Letter
from schools.letters.queries import filter_letters, visible_letters
from schools.letters.schemas import LetterCreateSchema, LetterQuerySchema, LetterSchema, LetterSignSchema
from tenancy.api.base import ApiError, documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List responsibility letters in scope (superseded ones too)",
    response=LetterSchema(),
    query=LetterQuerySchema(),
    paginated=True,
)
def list_letters():
    args = load_args(LetterQuerySchema())
    if "org_unit_id" in args:
        get_scoped_or_404(OrgUnit, args["org_unit_id"])
    query = filter_letters(
        visible_letters(),
        year=args.get("year"),
        tier=args.get("tier", ""),
        org_unit_id=args.get("org_unit_id"),
        status=args.get("status", ""),
    )
    return paginated(
        query.order_by(Letter.year.desc(), Letter.tier, Letter.org_unit_id, Letter.id), LetterSchema()
    )


@documented(
    summary="Issue a letter (letter.manage at the issuing unit); 409 when a current one exists",
    response=LetterSchema(),
    body=LetterCreateSchema(),
    permission="letter.manage",
)
def create_letter():
    values = LetterCreateSchema().load(json_body())
    unit = get_scoped_or_404(OrgUnit, values["org_unit_id"])
    if not operations.may_issue(unit, values["tier"]):
        raise ApiError(403, "forbidden", _("You may not issue this letter."))
    try:
        letter = operations.issue_letter(
            unit,
            values["year"],
            values["tier"],
            issued_on=values["issued_on"],
            signer_label=values["signer_label"],
            signer_name=values["signer_name"],
            signer_post=values["signer_post"],
            note=values["note"],
            user=current_user,
        )
    except operations.LetterError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return LetterSchema().dump(letter), 201


@documented(summary="One responsibility letter", response=LetterSchema())
def get_letter(letter_id: int):
    return LetterSchema().dump(get_scoped_or_404(Letter, letter_id))


@documented(
    summary="Record the signature of an issued letter: JSON, or a multipart form with an optional "
    "'scan' file (PDF, JPEG or PNG); either side may record it; 409 when not issued",
    response=LetterSchema(),
    body=LetterSignSchema(),
    permission="letter.manage",
)
def sign_letter(letter_id: int):
    letter = get_scoped_or_404(Letter, letter_id)
    if not operations.may_sign(letter):
        raise ApiError(403, "forbidden", _("You may not record the signature of this letter."))
    upload = request.files.get("scan")
    values = LetterSignSchema().load(request.form.to_dict() if request.files or request.form else json_body())
    scan = (upload.read(), upload.filename or "scan") if upload else None
    try:
        operations.sign_letter(
            letter,
            signed_on=values["signed_on"],
            signer_name=values["signer_name"],
            signer_post=values["signer_post"],
            scan=scan,
            user=current_user,
        )
    except operations.LetterError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return LetterSchema().dump(letter)


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
    bp.add_url_rule("/letters", view_func=list_letters, methods=["GET"])
    bp.add_url_rule("/letters", endpoint="create_letter", view_func=create_letter, methods=["POST"])
    bp.add_url_rule("/letters/<int:letter_id>", view_func=get_letter, methods=["GET"])
    bp.add_url_rule("/letters/<int:letter_id>/sign", view_func=sign_letter, methods=["POST"])
