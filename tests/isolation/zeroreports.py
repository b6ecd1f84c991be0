"""Isolation table of zero-reports: the bureau's windows and completeness table, a school's days.

objects() switches on a window for C1's schools only (so reviewer2 of C2 is an outsider to it)
starting today, and S11's zero report for today with a secret note.
"""

from datetime import time

from sqlalchemy import select

from schools.zeroreports.operations import open_window, submit_report
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.isolation.route import Route

SECRET = "城关片区秋冬季传染病日报"
NOTE = "今日晨午检未发现发热学生"

ROUTES = {
    "zeroreports.list_windows": Route("GET", "/zero-reports/", owner="admin", secret=SECRET),
    "zeroreports.open_window": Route(
        "POST",
        "/zero-reports/new",
        owner="staff",
        wrong_role="reviewer1",
        data={
            "title": "防汛期间每日零报告",
            "starts_on": "{zeroreport:today}",
            "deadline": "16:00",
            "items": "险情数量",
            "target": "all",
        },
    ),
    "zeroreports.show_window": Route(
        "GET", "/zero-reports/{zeroreport:window}", owner="staff", outsider="reviewer2", secret=SECRET
    ),
    "zeroreports.change_end": Route(
        "POST",
        "/zero-reports/{zeroreport:window}/end",
        owner="admin",
        outsider="reviewer2",
        wrong_role="reviewer1",
        data={"ends_on": ""},
    ),
    "zeroreports.switch_off": Route(
        "POST",
        "/zero-reports/{zeroreport:window}/switch-off",
        owner="admin",
        outsider="reviewer2",
        wrong_role="reviewer1",
    ),
    "zeroreports.export_window": Route(
        "GET", "/zero-reports/{zeroreport:window}/export.xlsx", owner="reviewer1", outsider="reviewer2"
    ),
    "zeroreports.school_days": Route(
        "GET", "/zero-reports/schools/{S11}", owner="school11", outsider="reviewer2", secret=NOTE
    ),
    "zeroreports.submit_report": Route(
        "POST",
        "/zero-reports/schools/{S11}/report",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        data={"window_id": "{zeroreport:window}", "day": "{zeroreport:today}", "zero": "1"},
    ),
    "api.list_zero_report_windows": Route(
        "GET", "/api/v1/zero-report-windows", owner="reviewer1", api=True, secret=SECRET
    ),
    "api.create_zero_report_window": Route(
        "POST",
        "/api/v1/zero-report-windows",
        owner="admin",
        wrong_role="reviewer1",
        api=True,
        # Names alpha's bureau, so another tenant's admin gets a 404 rather than opening a window of its own.
        data={
            "bureau_id": "{ALPHA}",
            "title": "防汛期间每日零报告",
            "starts_on": "{zeroreport:today}",
            "deadline": "16:00",
            "items": ["险情数量"],
        },
    ),
    "api.get_zero_report_window": Route(
        "GET",
        "/api/v1/zero-report-windows/{zeroreport:window}",
        owner="reviewer1",
        outsider="reviewer2",
        api=True,
    ),
    "api.list_zero_reports": Route("GET", "/api/v1/zero-reports", owner="reviewer1", api=True, secret=NOTE),
    "api.create_zero_report": Route(
        "POST",
        "/api/v1/zero-reports",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={
            "window_id": "{zeroreport:window}",
            "school_id": "{S11}",
            "day": "{zeroreport:today}",
            "values": {"发热人数": 1},
        },
    ),
}


def objects(app, world) -> dict[str, int | str]:
    """A window for C1's schools from today, and S11's zero report for today."""
    with app.app_context(), tenant_context(world.alpha.id):
        units = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
        today = tenant_today()
        window = open_window(
            title=SECRET,
            starts_on=today,
            ends_on=None,
            deadline=time(23, 59),
            items=["因病缺课人数", "发热人数"],
            target_units=[units["C1"]],
        )
        submit_report(window, units["S11"], today, {}, NOTE)
        db.session.commit()
        return {"zeroreport:window": window.id, "zeroreport:today": today.isoformat()}
