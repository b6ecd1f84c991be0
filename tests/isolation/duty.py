"""Isolation table of the duty roster.

objects() enters today's duty at S11, so paths can name it. Only school11 holds duty.manage in
the alpha world, so the writing routes are checked against a wrong role, not an outsider.
"""

from sqlalchemy import select

from schools.duty.operations import DayInput, save_day
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

SECRET = "赵守夜"  # alpha's duty person at S11 today

ROUTES = {
    "duty.roster": Route(
        "GET", "/schools/{S11}/duty/", owner="keeper11", outsider="reviewer2", secret=SECRET
    ),
    "duty.save_month": Route(
        "POST",
        "/schools/{S11}/duty/month",
        owner="school11",
        wrong_role="reviewer1",
        data={
            "month": "2025-01",
            "days-0-day": "2025-01-01",
            "days-0-duty_person": "张三",
            "days-0-leader": "李四",
        },
    ),
    "duty.copy_week": Route(
        "POST",
        "/schools/{S11}/duty/copy-week",
        owner="school11",
        wrong_role="reviewer1",
        data={"week_start": "2025-01-06"},
    ),
    "duty.today": Route("GET", "/duty/today", owner="staff", secret=SECRET),
    "api.list_duty_days": Route("GET", "/api/v1/duty", owner="reviewer1", api=True, secret=SECRET),
    "api.save_duty_day": Route(
        "PUT",
        "/api/v1/duty",
        owner="school11",
        wrong_role="reviewer1",
        api=True,
        data={"school_id": "{S11}", "day": "2025-01-02", "duty_person": "张三", "leader": "李四"},
    ),
    "api.get_duty_day": Route(
        "GET", "/api/v1/duty/{duty:S11}", owner="reviewer1", outsider="reviewer2", api=True, secret=SECRET
    ),
}


def objects(app, world) -> dict[str, int]:
    """Today's duty at S11."""
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
        row, _created = save_day(
            school,
            DayInput(day=tenant_today(), duty_person=SECRET, duty_phone="13800000000", leader="钱校长"),
        )
        db.session.commit()
        return {"duty:S11": row.id}
