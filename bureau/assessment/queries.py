"""Reads of the assessment: a year's rubric, the results a user may see, one school's result."""

from sqlalchemy import Select, select

from bureau.assessment.models import EnteredScore, Indicator, Result, Rubric
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import subtree_filter, visible_paths


def rubric_of(year: int) -> Rubric | None:
    """The current tenant's rubric of the year, or None."""
    return db.session.scalar(select(Rubric).where(Rubric.year == year))


def rubrics() -> list[Rubric]:
    """The current tenant's rubrics, latest year first."""
    return db.session.scalars(select(Rubric).order_by(Rubric.year.desc())).all()


def results_under(rubric: Rubric, unit: OrgUnit) -> Select:
    """Select (Result, school) for the schools in `unit`'s subtree, best rank first."""
    return (
        select(Result, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Result.org_unit_id)
        .where(Result.rubric_id == rubric.id, OrgUnit.path.startswith(unit.path, autoescape=True))
        .order_by(Result.rank_tenant, OrgUnit.path)
    )


def visible_results(rubric: Rubric, central_id: int | None = None) -> Select:
    """Select (Result, school) for the schools the current user sees, best rank first; with
    `central_id`, only those ranked within that central school."""
    query = (
        select(Result, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Result.org_unit_id)
        .where(Result.rubric_id == rubric.id, subtree_filter(OrgUnit.path, visible_paths()))
    )
    if central_id is not None:
        query = query.where(Result.central_id == central_id)
    return query.order_by(Result.rank_tenant, OrgUnit.path)


def result_of(rubric: Rubric, school: OrgUnit) -> Result | None:
    return db.session.scalar(
        select(Result).where(Result.rubric_id == rubric.id, Result.org_unit_id == school.id)
    )


def entered_scores(item: Indicator, unit_ids: list[int]) -> dict[int, EnteredScore]:
    """{school id: entered score} of one entered indicator, for the given schools."""
    found = db.session.scalars(
        select(EnteredScore).where(
            EnteredScore.indicator_id == item.id, EnteredScore.org_unit_id.in_(unit_ids)
        )
    )
    return {score.org_unit_id: score for score in found}
