"""/api/v1/drills: list, read and record drills."""

from flask import Blueprint
from flask_login import current_user

from schools.drills import operations
from schools.drills.models import Drill
from schools.drills.queries import filter_drills, visible_drills
from schools.drills.schemas import DrillCreateSchema, DrillQuerySchema, DrillSchema
from schools.units import get_school_or_404
from tenancy.api.base import documented, json_body, load_args, operation_failed, paginated
from tenancy.extensions import db
from tenancy.scoping import get_scoped_or_404


@documented(
    summary="List drills in scope, latest first (filter by school and date range)",
    response=DrillSchema(),
    query=DrillQuerySchema(),
    paginated=True,
)
def list_drills():
    args = load_args(DrillQuerySchema())
    if "school_id" in args:
        get_school_or_404(args["school_id"])
    query = filter_drills(
        visible_drills(), school_id=args.get("school_id"), first=args.get("from_"), last=args.get("to")
    )
    return paginated(query.order_by(Drill.held_on.desc(), Drill.id.desc()), DrillSchema())


@documented(
    summary="Record a drill a school held (school safety officers); photos are added on its page",
    response=DrillSchema(),
    body=DrillCreateSchema(),
)
def create_drill():
    values = DrillCreateSchema().load(json_body())
    school = get_school_or_404(values.pop("school_id"), permission="drill.record")
    try:
        drill = operations.record_drill(school, values, current_user)
    except operations.DrillError as error:
        raise operation_failed(error) from None
    db.session.commit()
    return DrillSchema().dump(drill), 201


@documented(summary="One drill with its photos", response=DrillSchema())
def get_drill(drill_id: int):
    return DrillSchema().dump(get_scoped_or_404(Drill, drill_id))


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
    bp.add_url_rule("/drills", view_func=list_drills, methods=["GET"])
    bp.add_url_rule("/drills", endpoint="create_drill", view_func=create_drill, methods=["POST"])
    bp.add_url_rule("/drills/<int:drill_id>", view_func=get_drill, methods=["GET"])
