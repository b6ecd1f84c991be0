"""Reporting, the ledger view, steps, evidence and export through the web pages."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from schools.hazards.models import Evidence, Hazard
from tenancy.extensions import db
from tenancy.scoping import tenant_context

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _hazards(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        hazards = db.session.scalars(select(Hazard).order_by(Hazard.id)).all()
        for hazard in hazards:
            db.session.expunge(hazard)
        return hazards


def _report(web, world, **changes):
    data = {
        "found_on": "2026-03-02",
        "location": "学校东侧围墙",
        "category": "security",
        "level": "general",
        "source": "daily",
        "description": "围墙有裂缝",
        "deadline": "2026-03-09",
    } | changes
    return web.post(
        f"/schools/{world.alpha_orgs['S11']}/hazards/new", data, content_type="multipart/form-data"
    )


@pytest.fixture
def school_admin(web, world):
    web.login("school11", world.password)
    return web


def test_report_with_a_photo_then_find_it_in_the_ledger(app, school_admin, world):
    response = _report(school_admin, world, photo=(io.BytesIO(PNG), "crack.png"))
    assert response.status_code == 302
    [hazard] = _hazards(app, world)
    assert hazard.seq == "1" and hazard.status == "open"
    page = school_admin.get(f"/schools/{world.alpha_orgs['S11']}/hazards/?category=security").get_data(
        as_text=True
    )
    assert "围墙有裂缝" in page
    assert "围墙有裂缝" not in school_admin.get(
        f"/schools/{world.alpha_orgs['S11']}/hazards/?category=fire"
    ).get_data(as_text=True)
    with app.app_context(), tenant_context(world.alpha.id):
        item = db.session.scalar(select(Evidence))
        assert (
            item.content_type == "image/png"
            and item.stored_name.endswith(".png")
            and "crack" not in item.stored_name
        )
    download = school_admin.get(f"/evidence/{item.id}")
    assert download.status_code == 200 and download.data == PNG


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": ""}, "description"),
        ({"location": ""}, "location"),
        ({"found_on": "not-a-date"}, "found_on"),
        ({"deadline": "2026-03-01"}, "deadline"),
        ({"category": "ufo"}, "category"),
        ({"level": "apocalyptic"}, "level"),
        ({"photo": (io.BytesIO(b"MZ\x90\x00 not a photo"), "virus.jpg")}, "photo"),
    ],
    ids=[
        "no-description",
        "no-location",
        "bad-date",
        "deadline-before-found",
        "bad-category",
        "bad-level",
        "fake-photo",
    ],
)
def test_bad_reports_name_the_field_and_write_nothing(app, school_admin, world, changes, field):
    response = _report(school_admin, world, **changes)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert _hazards(app, world) == []


def test_a_hazard_through_its_whole_lifecycle(app, web, world):
    web.login("school11", world.password)
    _report(web, world)
    [hazard] = _hazards(app, world)
    url = f"/hazards/{hazard.id}/steps"
    assert web.post(url, {"step": "start"}).status_code == 302
    web.post(
        url,
        {"step": "rectify", "on": "2026-03-04", "photo": (io.BytesIO(PNG), "fixed.png")},
        content_type="multipart/form-data",
    )
    web.post(url, {"step": "verify", "on": "2026-03-05"})  # refused: same person rectified it
    assert _hazards(app, world)[0].status == "rectified"
    reviewer = type(web)(app)
    reviewer.login("reviewer1", world.password)
    reviewer.post(url, {"step": "verify", "on": "2026-03-05", "note": "复查合格"})
    [closed] = _hazards(app, world)
    assert closed.status == "verified" and closed.verified_on == date(2026, 3, 5)
    page = web.get(f"/hazards/{hazard.id}").get_data(as_text=True)
    assert page.count("<tr><td>") >= 4  # report, start, rectify, verify in the history
    assert "复查合格" in page


def test_illegal_step_is_refused_with_a_message(app, school_admin, world):
    _report(school_admin, world)
    [hazard] = _hazards(app, world)
    response = school_admin.post(f"/hazards/{hazard.id}/steps", {"step": "verify", "on": "2026-03-05"})
    assert response.status_code == 302
    assert _hazards(app, world)[0].status == "open"
    assert school_admin.post(f"/hazards/{hazard.id}/steps", {"step": "teleport"}).status_code == 302
    assert _hazards(app, world)[0].status == "open"


def test_evidence_must_be_a_real_photo_or_pdf(app, school_admin, world):
    _report(school_admin, world)
    [hazard] = _hazards(app, world)
    for name, content in (("x.jpg", b"<script>alert(1)</script>"), ("x.pdf", b""), ("x.png", PNG)):
        school_admin.post(
            f"/hazards/{hazard.id}/evidence",
            {"stage": "found", "file": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
    with app.app_context(), tenant_context(world.alpha.id):
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == 1


def test_export_is_the_template_and_neutralises_formulas(app, school_admin, world):
    _report(school_admin, world, description='=HYPERLINK("http://evil")', location="+86 操场")
    response = school_admin.get(f"/schools/{world.alpha_orgs['S11']}/hazards/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["隐患台账"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["序号", "排查日期", "排查类型", "排查部位"]
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://evil")' in values and "'+86 操场" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_grid_keeper_reports_on_the_phone_page(app, web, world):
    web.login("keeper11", world.password)
    page = web.get(f"/schools/{world.alpha_orgs['S11']}/hazards/new").get_data(as_text=True)
    assert 'name="viewport"' in page and 'capture="environment"' in page


def test_overdue_filter(app, school_admin, world):
    _report(school_admin, world, found_on="2020-01-02", deadline="2020-01-09", description="早已逾期的隐患")
    _report(school_admin, world, found_on="2026-03-02", deadline="2099-01-01", description="未到期的隐患")
    page = school_admin.get(f"/schools/{world.alpha_orgs['S11']}/hazards/?overdue=1").get_data(as_text=True)
    assert "早已逾期的隐患" in page and "未到期的隐患" not in page
    assert re.search(r"badge\">[^<]+</span>", page)
