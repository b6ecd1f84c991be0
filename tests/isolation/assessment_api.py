"""Isolation table of the assessment API.

objects() gives alpha a computed assessment of last year (reusing the rubric another table's
objects() may have made) with an entered score whose comment must not leak, and beta a rubric of
the same year, so a 404 for beta comes from the scope, not from a missing year. For the
computation alpha's units are put on the platform before that year, then given back their
creation times (other tables' routes see the world as it was).
"""

from datetime import UTC, datetime

from sqlalchemy import select

from bureau.assessment.models import Result, Rubric
from bureau.assessment.operations import compute, create_rubric, enter_score, rescore
from bureau.assessment.queries import rubric_of
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

SECRET = "现场检查：消防通道畅通"  # the comment of S11's entered inspection score
YEAR = "assessment_api:year"

ROUTES = {
    "api.get_assessment": Route(
        "GET",
        "/api/v1/assessments/{assessment_api:year}?central={C1}",
        owner="reviewer1",
        outsider="reviewer2",
        api=True,
        secret=SECRET,
    ),
    "api.get_school_assessment": Route(
        "GET",
        "/api/v1/assessments/{assessment_api:year}/schools/{S11}",
        owner="school11",
        outsider="reviewer2",
        api=True,
        secret=SECRET,
    ),
}

# S11, S12 and D1 get entered scores, S21 an entered veto (concealment); the isolation table needs
# only the first (its comment is the secret).
ENTERED = [
    ("S11", "inspection", 90, SECRET),
    ("S11", "education", 80, ""),
    ("S12", "inspection", 100, ""),
    ("S12", "education", 100, ""),
    ("D1", "inspection", 50, ""),
    ("S21", "concealment", 1, "瞒报课间摔伤事故"),
]


def score_alpha(year: int, entered: list[tuple[str, str, float, str]] = ENTERED) -> Rubric:
    """The year's rubric (the default one, unless there is one) with `entered` scores, computed.

    Call in alpha's tenant context; a closed year is left as it is, and results another table
    computed are rescored rather than counted again.
    """
    rubric = rubric_of(year) or create_rubric(year)
    db.session.flush()
    if rubric.is_closed:
        return rubric
    units = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
    for code, indicator, value, comment in entered:
        item = rubric.indicator(indicator)
        if item is not None:
            enter_score(item, units[code], value, comment)
    if db.session.scalar(select(Result.id).where(Result.rubric_id == rubric.id).limit(1)) is None:
        compute(rubric)
    else:
        rescore(rubric)
    return rubric


def last_years(app, world, entered: list[tuple[str, str, float, str]] = ENTERED) -> int:
    """Compute alpha's last year with `entered` scores, give beta a rubric of it; return the year."""
    with app.app_context(), tenant_context(world.alpha.id):
        year = tenant_today().year - 1
        units = db.session.scalars(select(OrgUnit)).all()
        created = {unit.id: unit.created_at for unit in units}
        for unit in units:
            unit.created_at = datetime(year - 1, 6, 1, tzinfo=UTC)
        score_alpha(year, entered)
        for unit in units:
            unit.created_at = created[unit.id]
        db.session.commit()
    with app.app_context(), tenant_context(world.beta.id):
        if rubric_of(year) is None:
            create_rubric(year)
        db.session.commit()
    return year


def objects(app, world) -> dict[str, int]:
    """Last year's assessment of alpha (computed, S11's inspection entered) and beta (a rubric)."""
    return {YEAR: last_years(app, world, ENTERED[:1])}
