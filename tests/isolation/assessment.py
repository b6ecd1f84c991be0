"""Isolation table of the assessment pages.

objects() gives alpha two years of its own (beta has neither, so a 404 for beta's admin comes
from the tenant, and the API table's year is left alone): the year before last, computed with
an entered inspection score of S11 whose comment must not leak, and the year before that,
computed and closed (to reopen). For the computation alpha's units are put on the platform
before those years, then given back their creation times (other tables' routes see the world
as it was).
"""

from datetime import UTC, datetime

from sqlalchemy import select

from bureau.assessment.operations import close_year, compute, create_rubric, enter_score
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

SECRET = "复查：楼梯扶手松动已加固"  # the comment of S11's entered inspection score
YEAR = "/assessment/{assessment:year}"

ROUTES = {
    "assessment.index": Route("GET", "/assessment/", owner="school11"),
    "assessment.create_year": Route(
        "POST", "/assessment/", owner="admin", wrong_role="staff", data={"year": "2099", "copy_from": ""}
    ),
    "assessment.show_year": Route("GET", YEAR, owner="school11"),
    "assessment.compute": Route("POST", f"{YEAR}/compute", owner="staff", wrong_role="viewer"),
    "assessment.close_year": Route("POST", f"{YEAR}/close", owner="admin", wrong_role="staff"),
    "assessment.reopen_year": Route(
        "POST",
        "/assessment/{assessment:closed}/reopen",
        owner="admin",
        wrong_role="staff",
        data={"reason": "更正现场检查分"},
    ),
    "assessment.export_workbook": Route(
        "GET", f"{YEAR}/export.xlsx", owner="reviewer1", wrong_role="school11"
    ),
    "assessment.rubric": Route("GET", f"{YEAR}/rubric", owner="school11"),
    "assessment.save_rubric": Route(
        "POST",
        f"{YEAR}/rubric",
        owner="admin",
        wrong_role="staff",
        data={"excellent": "90", "good": "80", "passing": "60"},
    ),
    "assessment.add_indicator": Route(
        "POST",
        f"{YEAR}/rubric/indicators",
        owner="admin",
        wrong_role="staff",
        data={"code": "extra", "name": "附加分", "kind": "score", "source": "entered", "rule": "entered"},
    ),
    "assessment.delete_indicator": Route(
        "POST",
        f"{YEAR}/rubric/indicators/{{assessment:education}}/delete",
        owner="admin",
        wrong_role="staff",
    ),
    "assessment.scores": Route(
        "GET", f"{YEAR}/scores/inspection", owner="reviewer1", wrong_role="school11", secret=SECRET
    ),
    "assessment.save_scores": Route(
        "POST",
        f"{YEAR}/scores/inspection",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"rows-0-school_id": "{S11}", "rows-0-value": "88", "rows-0-comment": "复查合格"},
    ),
    "assessment.school_sheet": Route(
        "GET", f"{YEAR}/schools/{{S11}}", owner="school11", outsider="reviewer2", secret=SECRET
    ),
}


def objects(app, world) -> dict[str, int]:
    """Alpha's year before last (computed, S11's inspection scored) and the one before (closed)."""
    with app.app_context(), tenant_context(world.alpha.id):
        year = tenant_today().year - 2
        units = db.session.scalars(select(OrgUnit)).all()
        created = {unit.id: unit.created_at for unit in units}
        for unit in units:
            unit.created_at = datetime(year - 2, 6, 1, tzinfo=UTC)
        closed = create_rubric(year - 1)
        compute(closed)
        close_year(closed)
        rubric = create_rubric(year)
        db.session.flush()
        s11 = next(unit for unit in units if unit.code == "S11")
        enter_score(rubric.indicator("inspection"), s11, 75, SECRET)
        compute(rubric)
        for unit in units:
            unit.created_at = created[unit.id]
        ids = {"assessment:year": year, "assessment:closed": year - 1}
        ids["assessment:education"] = rubric.indicator("education").id
        db.session.commit()
    return ids
