"""The demo's assessment: last year closed, this year's preview, entered scores, a veto; loaded once."""

import re
from collections import Counter
from datetime import date

from sqlalchemy import func, select

from bureau.assessment.models import EnteredScore, Result
from bureau.assessment.operations import NOT_ASSESSED
from bureau.assessment.queries import rubric_of
from bureau.demo.assessment import CONCEALED, load_demo_assessment
from bureau.demo.loader import load_demo
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_demo_assessment(app):
    with app.app_context():
        tenant_id = load_demo().id  # the assessment is computed from every other part's records
    with app.app_context(), tenant_context(tenant_id):
        today = tenant_today()
        current, last = rubric_of(today.year), rubric_of(today.year - 1)
        assert last.is_closed and last.computed_through == date(last.year, 12, 31)
        assert not current.is_closed and current.computed_through == today  # the preview
        schools = {
            unit.code
            for unit in db.session.scalars(
                select(OrgUnit).where(OrgUnit.is_active, OrgUnit.kind.notin_(NOT_ASSESSED))
            )
        }
        for rubric in (last, current):
            results = {
                result.org_unit.code: result
                for result in db.session.scalars(select(Result).where(Result.rubric_id == rubric.id))
            }
            assert set(results) == schools, rubric.year
            grades = Counter(result.grade for result in results.values())
            assert len(grades) >= 3, (rubric.year, grades)
            vetoed = [result for result in results.values() if result.vetoed]
            assert vetoed and all(result.grade == "fail" for result in vetoed), rubric.year
            assert max(r.rank_tenant for r in results.values() if not r.vetoed) < min(
                r.rank_tenant for r in vetoed
            )
            scores = db.session.scalars(
                select(EnteredScore).where(
                    EnteredScore.indicator_id.in_([item.id for item in rubric.indicators])
                )
            ).all()
            inspected = {s.org_unit_id for s in scores if s.indicator_id == rubric.indicator("inspection").id}
            assert len(schools) // 2 < len(inspected) < len(schools), rubric.year  # most, not all
            assert all(HAN.search(score.comment) for score in scores)
            assert {score.entered_by for score in scores} >= {"anquanke"}
        concealed = db.session.scalar(
            select(Result)
            .join(OrgUnit, OrgUnit.id == Result.org_unit_id)
            .where(Result.rubric_id == last.id, OrgUnit.code == CONCEALED)
        )
        concealment = concealed.details["concealment"]
        assert concealment["applies"] and concealment["comment"].startswith("瞒报")
        assert concealed.vetoed and concealed.grade == "fail"
        assert (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "assessment.closed")
            )
            == 1
        )

        counts = (
            db.session.scalar(select(func.count(Result.id))),
            db.session.scalar(select(func.count(EnteredScore.id))),
        )
        assert load_demo_assessment() == 0  # loaded once
        again = (
            db.session.scalar(select(func.count(Result.id))),
            db.session.scalar(select(func.count(EnteredScore.id))),
        )
        assert again == counts
