"""Isolation table of the flags board, its history, the inbox and /api/v1/flags.

objects() gives S11 an overdue hazard (so the board, the history and the API have a flag to
leak) and school11 a digest (so the inbox has a message to leak).
"""

from datetime import timedelta

from sqlalchemy import select

from bureau.flags.inbox import send_daily_digests
from bureau.flags.models import InboxMessage
from bureau.flags.operations import refresh_all
from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit, utcnow
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

SECRET = "配电箱未上锁"

ROUTES = {
    "flags.board": Route("GET", "/flags/?unit={S11}", owner="reviewer1", outsider="reviewer2", secret=SECRET),
    "flags.history": Route("GET", "/flags/history?unit={S11}", owner="school11", outsider="reviewer2"),
    "flags.inbox": Route("GET", "/inbox/", owner="keeper11", secret=SECRET),
    "flags.mark_read": Route("POST", "/inbox/{inbox:school11}/read", owner="school11", outsider="reviewer1"),
    "flags.mark_all_read": Route("POST", "/inbox/read", owner="viewer"),
    "api.list_flags": Route(
        "GET",
        "/api/v1/flags?org_unit_id={S11}",
        owner="reviewer1",
        outsider="reviewer2",
        api=True,
        secret=SECRET,
    ),
}


def objects(app, world) -> dict[str, int]:
    """An overdue hazard at S11 with its flag, and the digests that mention it."""
    with app.app_context(), tenant_context(world.alpha.id):
        today = tenant_today()
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
        report_hazard(
            school,
            HazardInput(
                found_on=today - timedelta(days=9),
                location="配电房",
                category="utility",
                description=SECRET,
                deadline=today - timedelta(days=2),
            ),
        )
        refresh_all()
        send_daily_digests(utcnow() + timedelta(minutes=1))
        db.session.commit()
        message_id = db.session.scalar(
            select(InboxMessage.id).where(InboxMessage.user_id == world.alpha_users["school11"])
        )
    return {"inbox:school11": message_id}
