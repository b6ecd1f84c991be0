"""Isolation table of rectification notices and the escalation queue.

objects() issues a notice from C1 to S11, a second one already answered (with a photo), and
escalates a hazard of S11 to C1, so paths can name them.
"""

from datetime import date, timedelta

from sqlalchemy import select

from bureau.notices.operations import answer_notice, issue_notice
from schools.hazards.lifecycle import SCHOOL
from schools.hazards.operations import HazardInput, report_hazard, take_step
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOTICE = "/notices/{notice:S11}"
ESCALATION = "/review/escalations/{escalated:S11}"

ROUTES = {
    "notices.list_notices": Route("GET", "/notices/", owner="school11", secret="插座松动整改通知"),
    "notices.new_notice": Route(
        "GET", "/notices/new?school_id={S11}", owner="reviewer1", outsider="reviewer2", wrong_role="school11"
    ),
    "notices.show_notice": Route(
        "GET", NOTICE, owner="school11", outsider="reviewer2", secret="插座松动整改通知"
    ),
    "notices.answer_notice": Route(
        "POST",
        NOTICE + "/answer",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        data={"measures": "已更换插座"},
    ),
    "notices.decide_notice": Route(
        "POST",
        "/notices/{notice:answered}/decide",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="school11",
        data={"decision": "reject", "comment": "照片不清楚"},
    ),
    "notices.print_notice": Route(
        "GET", NOTICE + "/print", owner="school11", outsider="reviewer2", secret="插座松动整改通知"
    ),
    "notices.download_attachment": Route(
        "GET", "/notices/files/{notice_file:S11}", owner="reviewer1", outsider="reviewer2"
    ),
    "api.list_notices": Route(
        "GET", "/api/v1/notices", owner="school11", api=True, secret="插座松动整改通知"
    ),
    "api.get_notice": Route(
        "GET", "/api/v1/notices/{notice:S11}", owner="reviewer1", outsider="reviewer2", api=True
    ),
    "escalations.list_escalations": Route(
        "GET", "/review/escalations/", owner="reviewer1", wrong_role="school11", secret="配电房线路老化"
    ),
    "escalations.show_escalation": Route(
        "GET",
        ESCALATION,
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="school11",
        secret="配电房线路老化",
    ),
    "escalations.add_note": Route(
        "POST",
        ESCALATION + "/notes",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="school11",
        data={"note": "已联系供电所"},
    ),
    "escalations.take_step": Route(
        "POST",
        ESCALATION + "/steps",
        owner="reviewer1",
        outsider="reviewer2",
        wrong_role="school11",
        data={"step": "forward", "note": "需局里协调供电部门"},
    ),
}


def objects(app, world) -> dict[str, int]:
    """Two notices from C1 to S11 (one answered with a photo) and a hazard of S11 escalated to C1."""
    with app.app_context(), tenant_context(world.alpha.id):
        units = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
        reviewer = db.session.get(User, world.alpha_users["reviewer1"])
        school_admin = db.session.get(User, world.alpha_users["school11"])
        hazard = report_hazard(
            units["S11"],
            HazardInput(
                found_on=date(2026, 3, 2), location="三楼教室", category="utility", description="插座松动"
            ),
        )
        escalated = report_hazard(
            units["S11"],
            HazardInput(
                found_on=date(2026, 3, 3), location="配电房", category="utility", description="配电房线路老化"
            ),
        )
        take_step(escalated, "escalate", {SCHOOL}, note="需供电部门改造")
        deadline = tenant_today() + timedelta(days=10)
        notice = issue_notice(
            units["C1"], units["S11"], [hazard.id], deadline, "插座松动整改通知", "请立即整改。", reviewer
        )
        answered = issue_notice(
            units["C1"], units["S11"], [hazard.id], deadline, "第二份通知", "请整改并回复。", reviewer
        )
        answer = answer_notice(answered, "已整改", [("fixed.png", PNG)], school_admin)
        db.session.commit()
        return {
            "notice:S11": notice.id,
            "notice:answered": answered.id,
            "notice_file:S11": answer.attachments[0].id,
            "escalated:S11": escalated.id,
        }
