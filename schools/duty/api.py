"""/api/v1/duty: list roster days in scope, create or replace one day, read one day."""

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user

from schools.duty import operations
from schools.duty.models import DutyDay
from schools.duty.operations import DayInput, keeps_roster
from schools.duty.queries import filter_duty_days, visible_duty_days
from schools.duty.schemas import DutyDayInputSchema, DutyDaySchema, DutyQuerySchema
from schools.units import get_school_or_404
from tenancy.api.base import ApiError, documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List roster days in scope (?school_id=&from=&to=, days inclusive)",
    response=DutyDaySchema(),
    query=DutyQuerySchema(),
    paginated=True,
)
def list_duty_days():
    args = load_args(DutyQuerySchema())
    if "school_id" in args:
        get_school_or_404(args["school_id"])
    query = filter_duty_days(
        visible_duty_days(), school_id=args.get("school_id"), start=args.get("start"), end=args.get("end")
    )
    return paginated(query.order_by(DutyDay.day, DutyDay.org_unit_id), DutyDaySchema())


@documented(
    summary="Create or replace one day of a school's roster (201 created, 200 replaced); "
    "a day sent with nothing in it is cleared (204)",
    response=DutyDaySchema(),
    body=DutyDayInputSchema(),
    permission="duty.manage",
)
def save_duty_day():
    values = DutyDayInputSchema().load(json_body())
    school = get_school_or_404(values.pop("school_id"), permission="duty.manage")
    if not keeps_roster(school):
        raise ApiError(404, "not_found", _("Not found."))
    try:
        row, created = operations.save_day(school, DayInput(**values), current_user)
    except operations.DutyError as error:
        raise operation_failed(error) from None
    db.session.commit()
    if row is None:
        return "", 204
    return DutyDaySchema().dump(row), 201 if created else 200


@documented(summary="One roster day", response=DutyDaySchema())
def get_duty_day(duty_id: int):
    return DutyDaySchema().dump(get_scoped_or_404(DutyDay, duty_id))


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
    bp.add_url_rule("/duty", view_func=list_duty_days, methods=["GET"])
    bp.add_url_rule("/duty", endpoint="save_duty_day", view_func=save_duty_day, methods=["PUT"])
    bp.add_url_rule("/duty/<int:duty_id>", view_func=get_duty_day, methods=["GET"])
