"""Recording, correcting and deleting drills through the pages; photos; the calendar; the overview."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from schools.drills.models import Drill, DrillPhoto
from tenancy.extensions import db
from tenancy.models import AuditEvent
from tenancy.scoping import tenant_context
from tests.fixtures.app import WebClient
from tests.schools.drills.conftest import JPEG, PDF, PNG, WEBP, open_since

PROBLEM = "三楼东侧楼梯拥堵，疏散用时超预期"


def _client(app, world, username) -> WebClient:
    client = WebClient(app)
    assert client.login(username, world.password).status_code == 302
    assert client.post("/language", {"locale": "en"}).status_code == 302
    return client


@pytest.fixture
def school11(app, world):
    return _client(app, world, "school11")


def _form(**changes):
    return {
        "held_on": "2025-10-15",
        "kind": "fire",
        "participants": "420",
        "duration_minutes": "12",
        "problems": PROBLEM,
        "improvements": "增设疏散引导员",
        "notes": "",
    } | changes


def _record(client, world, code="S11", **changes):
    return client.post(
        f"/schools/{world.alpha_orgs[code]}/drills/new", _form(**changes), content_type="multipart/form-data"
    )


def _count(app, world, model=Drill) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(model))


def _drills(app, world) -> list[Drill]:
    with app.app_context(), tenant_context(world.alpha.id):
        found = db.session.scalars(select(Drill).order_by(Drill.id)).all()
        for drill in found:
            db.session.expunge(drill)
        return found


def _actions(app, world) -> list[str]:
    with app.app_context(), tenant_context(world.alpha.id):
        return list(
            db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("drill.%")).order_by(AuditEvent.id)
            )
        )


def test_record_show_correct_and_delete_a_drill(app, world, school11):
    response = _record(
        school11, world, new_photos=[(io.BytesIO(JPEG), "现场.jpg"), (io.BytesIO(PNG), "b.png")]
    )
    assert response.status_code == 302
    [drill] = _drills(app, world)
    assert (drill.held_on, drill.kind, drill.participants, drill.duration_minutes) == (
        date(2025, 10, 15),
        "fire",
        420,
        12,
    )
    assert drill.recorded_by_id == world.alpha_users["school11"]
    page = school11.get(f"/drills/{drill.id}").get_data(as_text=True)
    assert PROBLEM in page and "现场.jpg" in page
    assert _count(app, world, DrillPhoto) == 2

    edited = school11.post(
        f"/drills/{drill.id}/edit",
        _form(kind="earthquake", participants="430"),
        content_type="multipart/form-data",
    )
    assert edited.status_code == 302
    [drill] = _drills(app, world)
    assert (drill.kind, drill.participants) == ("earthquake", 430) and drill.updated_at is not None

    with app.app_context(), tenant_context(world.alpha.id):
        paths = [
            app.config["UPLOAD_FOLDER"] + f"/evidence/{world.alpha.id}/{p.stored_name}"
            for p in db.session.scalars(select(DrillPhoto))
        ]
    assert school11.post(f"/drills/{drill.id}/delete").status_code == 302
    assert _count(app, world) == 0 and _count(app, world, DrillPhoto) == 0
    import os

    assert not any(os.path.exists(path) for path in paths)
    assert _actions(app, world) == [
        "drill.record",
        "drill.photo",
        "drill.photo",
        "drill.update",
        "drill.delete",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": ""}, "held_on"),
        ({"held_on": "2025-13-01"}, "held_on"),
        ({"held_on": (date.today() + timedelta(days=3)).isoformat()}, "held_on"),
        ({"held_on": "1999-12-31"}, "held_on"),
        ({"kind": "tsunami"}, "kind"),
        ({"participants": "0"}, "participants"),
        ({"participants": "x"}, "participants"),
        ({"participants": ""}, "participants"),
        ({"duration_minutes": "-5"}, "duration_minutes"),
        ({"duration_minutes": "2000"}, "duration_minutes"),
        ({"problems": "  "}, "problems"),
        ({"problems": "字" * 4001}, "problems"),
        ({"notes": "字" * 4001}, "notes"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(app, world, school11, changes, field):
    response = _record(school11, world, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}"' in page
    position = page.index(f'id="{field}"')
    assert page.rfind('<div class="field', 0, position) == page.rfind(
        '<div class="field has-error">', 0, position
    )
    assert _count(app, world) == 0 and _actions(app, world) == []


def test_a_bad_photo_refuses_the_whole_drill(app, world, school11):
    response = _record(school11, world, new_photos=[(io.BytesIO(PDF), "plan.pdf")])
    assert response.status_code == 400
    assert "Only photos (JPEG, PNG, WebP)" in response.get_data(as_text=True)
    assert _count(app, world) == 0 and _count(app, world, DrillPhoto) == 0


def test_photos_are_checked_by_content_and_served_after_the_scope_check(app, world, school11):
    _record(school11, world)
    [drill] = _drills(app, world)
    for name, content in (
        ("x.jpg", b"<script>alert(1)</script>"),
        ("x.jpg", PDF),
        ("x.png", b""),
        ("ok.webp", WEBP),
        ("ok.png", PNG),
    ):
        school11.post(
            f"/drills/{drill.id}/photos",
            {"photo": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
    with app.app_context(), tenant_context(world.alpha.id):
        photos = db.session.scalars(select(DrillPhoto).order_by(DrillPhoto.id)).all()
        types = [(p.id, p.content_type) for p in photos]
    assert [t for _id, t in types] == ["image/webp", "image/png"]
    served = school11.get(f"/drills/photos/{types[1][0]}")
    assert served.status_code == 200 and served.data == PNG and served.mimetype == "image/png"
    assert _client(app, world, "reviewer2").get(f"/drills/photos/{types[1][0]}").status_code == 404
    assert school11.post(f"/drills/photos/{types[0][0]}/delete").status_code == 302
    assert _count(app, world, DrillPhoto) == 1


def test_grade_groups_have_no_drill_pages(app, world):
    admin = _client(app, world, "staff")
    assert admin.get(f"/schools/{world.alpha_orgs['D1-G1']}/drills/").status_code == 404
    assert admin.get(f"/schools/{world.alpha_orgs['D1']}/drills/").status_code == 200


def test_the_calendar_shows_met_missed_and_what_is_due(app, world, school11):
    open_since(app, world)
    _record(school11, world, held_on="2025-10-15", kind="evacuation")
    page = school11.get(f"/schools/{world.alpha_orgs['S11']}/drills/?year=2025").get_data(as_text=True)
    assert 'id="month-2025-10" class="obligation-met"' in page
    assert 'id="month-2025-09" class="obligation-missed"' in page
    assert 'id="semester-2025-09-01" class="obligation-missed"' in page  # evacuation does not count
    assert "Monthly drill, 2025-10" in page and "2025-10-15" in page
    kindergarten = school11.get(f"/schools/{world.alpha_orgs['S12']}/drills/?year=2025")
    assert kindergarten.status_code == 404  # school11 sees only S11
    reviewer = _client(app, world, "reviewer1").get(f"/schools/{world.alpha_orgs['S12']}/drills/?year=2025")
    assert 'id="quarter-2025-Q4"' in reviewer.get_data(as_text=True)


def test_the_overview_covers_the_subtree_and_exports(app, world, school11):
    open_since(app, world)
    _record(school11, world, held_on="2025-10-15")
    reviewer = _client(app, world, "reviewer1")
    page = reviewer.get(f"/drills/overview?unit={world.alpha_orgs['C1']}&year=2025").get_data(as_text=True)
    assert "城关镇第一小学" in page and "城关镇中心幼儿园" in page
    assert "河口镇中心小学" not in page and "县实验中学" not in page
    assert "2025-10-15" in page
    default = reviewer.get("/drills/overview?year=2025").get_data(as_text=True)
    assert "城关镇第一小学" in default and "河口镇中心小学" not in default
    assert reviewer.get(f"/drills/overview?unit={world.alpha_orgs['C2']}").status_code == 404

    bureau = _client(app, world, "staff")
    export = bureau.get(f"/drills/overview.xlsx?unit={world.alpha_orgs['ALPHA']}&year=2025")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = [row[1] for row in rows[1:]]
    assert "城关镇第一小学" in names and "县实验中学" in names and "初一年级组" not in names
    s11 = next(row for row in rows if row[1] == "城关镇第一小学")
    assert s11[4] == 2  # met: October and the autumn semester (a fire drill)
    assert s11[8].date() == date(2025, 10, 15)


def test_only_the_school_admin_records(app, world):
    reviewer = _client(app, world, "reviewer1")
    assert reviewer.get(f"/schools/{world.alpha_orgs['S11']}/drills/new").status_code == 403
    assert _record(reviewer, world).status_code == 403
    assert _count(app, world) == 0
