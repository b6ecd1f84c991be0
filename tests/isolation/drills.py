"""Isolation table of drills: the calendar, recording, a drill, its photos, the overview, the API.

objects() records a drill of S11 (with a photo) and one of S21, so paths can name them.
"""

from datetime import date

from sqlalchemy import select

from schools.drills.operations import attach_photo, record_drill
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.isolation.route import Route

SECRET = "三楼东侧楼梯拥堵，疏散用时超预期"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
FORM = {
    "held_on": "2025-10-15",
    "kind": "fire",
    "participants": "420",
    "duration_minutes": "12",
    "problems": "无",
}

ROUTES = {
    "drills.calendar": Route(
        "GET", "/schools/{S11}/drills/", owner="keeper11", outsider="reviewer2", secret=SECRET
    ),
    "drills.new_drill": Route(
        "POST",
        "/schools/{S11}/drills/new",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        data=FORM,
    ),
    "drills.show_drill": Route(
        "GET", "/drills/{drill:S11}", owner="reviewer1", outsider="reviewer2", secret=SECRET
    ),
    "drills.edit_drill": Route(
        "POST",
        "/drills/{drill:S11}/edit",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
        data=FORM,
    ),
    "drills.delete_drill": Route(
        "POST", "/drills/{drill:S11}/delete", owner="school11", outsider="reviewer2", wrong_role="staff"
    ),
    "drills.add_photo": Route(
        "POST",
        "/drills/{drill:S11}/photos",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        files={"photo": ("drill.jpg", JPEG)},
    ),
    "drills.photo": Route("GET", "/drills/photos/{drill_photo:S11}", owner="reviewer1", outsider="reviewer2"),
    "drills.delete_photo": Route(
        "POST",
        "/drills/photos/{drill_photo:S11}/delete",
        owner="school11",
        outsider="reviewer2",
        wrong_role="viewer",
    ),
    "drills.overview": Route("GET", "/drills/overview?unit={C1}", owner="reviewer1", outsider="reviewer2"),
    "drills.export_overview": Route(
        "GET", "/drills/overview.xlsx?unit={C1}", owner="staff", outsider="reviewer2"
    ),
    "api.list_drills": Route("GET", "/api/v1/drills", owner="reviewer1", api=True, secret=SECRET),
    "api.create_drill": Route(
        "POST",
        "/api/v1/drills",
        owner="school11",
        outsider="reviewer2",
        wrong_role="reviewer1",
        api=True,
        data={
            "school_id": "{S11}",
            "held_on": "2025-10-15",
            "kind": "earthquake",
            "participants": 500,
            "duration_minutes": 10,
            "problems": "无",
        },
    ),
    "api.get_drill": Route(
        "GET", "/api/v1/drills/{drill:S11}", owner="reviewer1", outsider="reviewer2", api=True
    ),
}


def objects(app, world) -> dict[str, int]:
    """A drill of S11 with a photo, and a drill of S21."""
    ids = {}
    with app.app_context(), tenant_context(world.alpha.id):
        for code in ("S11", "S21"):
            school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            drill = record_drill(
                school,
                {
                    "held_on": date(2025, 10, 10),
                    "kind": "fire",
                    "participants": 320,
                    "duration_minutes": 15,
                    "problems": SECRET,
                },
            )
            ids[f"drill:{code}"] = drill.id
            ids[f"drill_photo:{code}"] = attach_photo(drill, JPEG, "现场.jpg").id
        db.session.commit()
    return ids
