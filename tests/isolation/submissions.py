"""Isolation table of monthly reports and the review queue.

objects() submits a report of S11 for December 2025 (reviewed by C1) and one of D1 (reviewed
by the bureau), so paths can name them.
"""

from datetime import date

from sqlalchemy import select

from schools.submissions.operations import submit_report
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

SECRET = "本月开展消防演练一次"

ROUTES = {
    "submissions.list_reports": Route(
        "GET", "/schools/{S11}/reports/", owner="keeper11", outsider="reviewer2"
    ),
    "submissions.submit_report": Route(
        "GET",
        "/schools/{S11}/reports/submit?period=2025-11",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
    ),
    "submissions.show_report": Route(
        "GET", "/reports/{submission:S11}", owner="reviewer1", outsider="reviewer2", secret=SECRET
    ),
    "submissions.review_report": Route(
        "POST",
        "/reports/{submission:S11}/review",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="viewer",
        data={"decision": "approve"},
    ),
    "review.list_reports": Route("GET", "/review/reports", owner="reviewer1", wrong_role="school11"),
    "api.list_submissions": Route("GET", "/api/v1/submissions", owner="reviewer1", api=True, secret=SECRET),
    "api.create_submission": Route(
        "POST",
        "/api/v1/submissions",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={"school_id": "{S11}", "period": "2025-11", "narrative": "本月无新增隐患"},
    ),
    "api.get_submission": Route(
        "GET", "/api/v1/submissions/{submission:S11}", owner="reviewer1", outsider="reviewer2", api=True
    ),
    "api.review_submission": Route(
        "POST",
        "/api/v1/submissions/{submission:D1}/review",
        owner="staff",
        outsider="reviewer1",
        wrong_role="viewer",
        api=True,
        data={"decision": "return", "comment": "请补充整改情况"},
    ),
}


def objects(app, world) -> dict[str, int]:
    """A report of S11 (reviewed by C1) and one of D1 (reviewed by the bureau), December 2025."""
    ids = {}
    with app.app_context(), tenant_context(world.alpha.id):
        for code in ("S11", "D1"):
            school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            ids[f"submission:{code}"] = submit_report(school, date(2025, 12, 1), SECRET).id
        db.session.commit()
    return ids
