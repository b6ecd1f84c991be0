"""/api/v1/assessments: a year's rubric with the results the caller may see, and one school's result.

The bureau sees every school, a central school its own schools, a school itself; a school
outside the caller's area is a 404 like anything else out of scope.
"""

from flask import Blueprint
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from bureau.assessment.models import Result, Rubric
from bureau.assessment.queries import result_of, rubric_of, visible_results
from bureau.assessment.schemas import AssessmentQuerySchema, AssessmentSchema, SchoolResultSchema
from schools.units import get_school_or_404
from tenancy.api.base import ApiError, documented, load_args
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import current_tenant_id, sees_org


@documented(
    summary="A year's assessment: the rubric, the grade bands and the results in scope, best rank first; "
    "404 when the tenant keeps no rubric for the year",
    response=AssessmentSchema(),
    query=AssessmentQuerySchema(),
)
def get_assessment(year: int):
    rubric = _rubric_or_404(year)
    central = _central_arg()
    rows = db.session.execute(visible_results(rubric, central.id if central else None)).all()
    names = _central_names({result.central_id for result, _school in rows})
    return AssessmentSchema().dump(
        {
            **_rubric_fields(rubric),
            "bands": rubric.bands,
            "indicators": rubric.indicators,
            "results": [_result_fields(result, school, names) for result, school in rows],
        }
    )


@documented(
    summary="One school's result of the year, with every indicator's figures and points",
    response=SchoolResultSchema(),
)
def get_school_assessment(year: int, school_id: int):
    rubric = _rubric_or_404(year)
    school = get_school_or_404(school_id)
    result = result_of(rubric, school)
    if result is None:
        raise ApiError(
            404, "not_found", _("%(school)s has no result for %(year)s.", school=school.name, year=year)
        )
    names = _central_names({result.central_id})
    return SchoolResultSchema().dump({**_rubric_fields(rubric), **_result_fields(result, school, names)})


def _rubric_or_404(year: int) -> Rubric:
    rubric = rubric_of(year)
    if rubric is None:
        raise ApiError(404, "not_found", _("There is no %(year)s assessment.", year=year))
    return rubric


def _central_arg() -> OrgUnit | None:
    """The ?central= central school: a 400 when it is not one, a 404 when outside the caller's area."""
    try:
        central_id = load_args(AssessmentQuerySchema()).get("central")
    except ValidationError:
        message = _("central must be the id of a central school.")
        raise ApiError(400, "invalid", message, {"central": [message]}) from None
    if central_id is None:
        return None
    unit = db.session.get(OrgUnit, central_id)
    if unit is None or unit.tenant_id != current_tenant_id() or not sees_org(unit):
        message = _("central: no central school %(id)s in your area.", id=central_id)
        raise ApiError(404, "not_found", message, {"central": [message]})
    if unit.kind != "central":
        message = _("central: %(name)s is not a central school.", name=unit.name)
        raise ApiError(400, "invalid", message, {"central": [message]})
    return unit


def _central_names(ids: set[int | None]) -> dict[int, str]:
    ids = {central_id for central_id in ids if central_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(ids))).all())


def _rubric_fields(rubric: Rubric) -> dict:
    return {
        "year": rubric.year,
        "status": "closed" if rubric.is_closed else "open",
        "computed_at": rubric.computed_at,
        "computed_through": rubric.computed_through,
    }


def _result_fields(result: Result, school: OrgUnit, central_names: dict[int, str]) -> dict:
    return {
        "school_id": school.id,
        "school_code": school.code,
        "school_name": school.name,
        "central_id": result.central_id,
        "central_name": central_names.get(result.central_id),
        "first_day": result.first_day,
        "last_day": result.last_day,
        "indicators": result.details or {},
        "total": result.total,
        "vetoed": result.vetoed,
        "grade": result.grade,
        "rank_tenant": result.rank_tenant,
        "rank_central": result.rank_central,
    }


def register(bp: Blueprint) -> None:
    """Add this feature's endpoints to the API blueprint."""
    bp.add_url_rule("/assessments/<int:year>", view_func=get_assessment, methods=["GET"])
    bp.add_url_rule(
        "/assessments/<int:year>/schools/<int:school_id>", view_func=get_school_assessment, methods=["GET"]
    )
