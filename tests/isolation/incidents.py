"""Isolation table of incidents: the school's list, reporting, an incident, its reports and files,
the live list, and the API.

objects() reports an open incident at S11 with a JPEG attached to its first report.
"""

from sqlalchemy import select

from schools.incidents.operations import report_incident
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

SECRET = "课间操时学生在楼梯口摔倒"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64

ROUTES = {
    "incidents.list_incidents": Route(
        "GET", "/schools/{S11}/incidents/", owner="keeper11", outsider="reviewer2", secret=SECRET
    ),
    "incidents.new_incident": Route(
        "GET", "/schools/{S11}/incidents/new", owner="school11", outsider="reviewer2", wrong_role="reviewer1"
    ),
    "incidents.show_incident": Route(
        "GET", "/incidents/{incident:S11}", owner="reviewer1", outsider="reviewer2", secret=SECRET
    ),
    "incidents.add_report": Route(
        "POST",
        "/incidents/{incident:S11}/reports",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        data={"kind": "follow_up", "follow_up-text": "学生已送医，无大碍"},
    ),
    "incidents.download_attachment": Route(
        "GET", "/incidents/files/{incident_file:S11}", owner="keeper11", outsider="reviewer2"
    ),
    "incidents.live": Route("GET", "/incidents/", owner="staff", secret=SECRET),
    "api.list_incidents": Route("GET", "/api/v1/incidents", owner="reviewer1", api=True, secret=SECRET),
    "api.create_incident": Route(
        "POST",
        "/api/v1/incidents",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={
            "school_id": "{S11}",
            "occurred_at": "2026-01-05T09:30",
            "kind": "injury",
            "place": "操场",
            "summary": "学生跑步时扭伤脚踝",
        },
    ),
    "api.get_incident": Route(
        "GET",
        "/api/v1/incidents/{incident:S11}",
        owner="viewer",
        outsider="reviewer2",
        api=True,
        secret=SECRET,
    ),
    "api.create_incident_report": Route(
        "POST",
        "/api/v1/incidents/{incident:S11}/reports",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={"kind": "follow_up", "text": "学生已返校上课"},
    ),
}


def objects(app, world) -> dict[str, int]:
    """An open incident of S11 reported with a photo."""
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
        incident = report_incident(
            school,
            {
                "occurred_at": "2026-01-05T09:30",
                "kind": "injury",
                "place": "教学楼二楼楼梯",
                "summary": SECRET,
                "minor_injuries": 1,
            },
            files=[(JPEG, "现场.jpg")],
        )
        db.session.commit()
        return {"incident:S11": incident.id, "incident_file:S11": incident.reports[0].attachments[0].id}
