"""The escalation queue pages: the list, one hazard's handling page, and every refusal."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from schools.hazards.lifecycle import SCHOOL
from schools.hazards.models import Hazard, HazardEvent
from schools.hazards.operations import HazardInput, report_hazard
from schools.hazards.operations import take_step as hazard_step
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context


@pytest.fixture
def escalated(app, world):
    """A hazard of S11 escalated to C1 ten days ago, and a major one of S21 at the bureau."""
    with app.app_context(), tenant_context(world.alpha.id):
        ids = {}
        for code, text, level in (("S11", "配电房线路老化", "general"), ("S21", "教学楼主体裂缝", "major")):
            school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            hazard = report_hazard(
                school,
                HazardInput(
                    found_on=date(2026, 3, 2),
                    location="配电房",
                    category="utility",
                    description=text,
                    level=level,
                ),
            )
            if hazard.status != "escalated":
                hazard_step(hazard, "escalate", {SCHOOL}, note="超出学校能力")
            ids[code] = hazard.id
        db.session.flush()
        for event in db.session.scalars(
            select(HazardEvent).where(HazardEvent.hazard_id == ids["S11"], HazardEvent.action == "escalate")
        ):
            event.at -= timedelta(days=10)
        db.session.commit()
    return ids


def _hazard(app, world, hazard_id):
    with app.app_context(), tenant_context(world.alpha.id):
        hazard = db.session.get(Hazard, hazard_id)
        return hazard.status, hazard.escalated_to_id, [(e.action, e.note) for e in hazard.events]


def test_each_level_sees_its_queue_with_school_found_date_and_wait(app, web, world, escalated):
    web.login("reviewer1", world.password)
    page = web.get("/review/escalations/").get_data(as_text=True)
    assert "配电房线路老化" in page and "城关镇第一小学" in page and "2026-03-02" in page
    assert re.search(r'waited-long">\s*10\b', page)
    assert "教学楼主体裂缝" not in page
    staff = type(web)(app)
    staff.login("staff", world.password)
    page = staff.get("/review/escalations/").get_data(as_text=True)
    assert "教学楼主体裂缝" in page and "配电房线路老化" not in page
    assert web.get(f"/review/escalations/{escalated['S21']}").status_code == 404  # another central school's


def test_coordinate_then_forward_through_the_pages(app, web, world, escalated):
    web.login("reviewer1", world.password)
    url = f"/review/escalations/{escalated['S11']}"
    page = web.get(url).get_data(as_text=True)
    assert 'id="form-forward"' in page and 'id="form-resolve"' in page and 'id="form-send_back"' in page
    assert web.post(url + "/notes", {"note": "已联系镇供电所"}).status_code == 302
    assert "已联系镇供电所" in web.get(url).get_data(as_text=True)
    response = web.post(url + "/steps", {"step": "forward", "note": "需局里协调"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/review/escalations/")
    status, escalated_to, events = _hazard(app, world, escalated["S11"])
    assert (status, escalated_to) == ("escalated", world.alpha.bureau_id)
    assert [a for a, _n in events][-2:] == ["coordinate", "forward"]
    assert web.get(url).status_code == 403  # the central school has handed it on
    staff = type(web)(app)
    staff.login("staff", world.password)
    page = staff.get(url).get_data(as_text=True)
    assert "已联系镇供电所" in page and 'id="form-forward"' not in page  # nothing above the bureau
    assert staff.post(url + "/steps", {"step": "forward", "note": "再上报"}).status_code == 400
    assert (
        staff.post(url + "/steps", {"step": "resolve", "note": "已协调", "on": "2026-03-20"}).status_code
        == 302
    )
    assert _hazard(app, world, escalated["S11"])[0] == "rectified"


def test_send_back_through_the_pages(app, web, world, escalated):
    web.login("staff", world.password)
    url = f"/review/escalations/{escalated['S21']}"
    assert web.post(url + "/steps", {"step": "send_back", "note": "请学校先行整改"}).status_code == 302
    assert _hazard(app, world, escalated["S21"])[0] == "rectifying"
    page = web.get(url).get_data(as_text=True)
    assert 'id="form-note"' not in page  # no longer waiting: no actions


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/notes", {"note": ""}),
        ("/notes", {"note": "长" * 2001}),
        ("/steps", {"step": "forward", "note": ""}),
        ("/steps", {"step": "send_back", "note": " "}),
        ("/steps", {"step": "resolve", "note": "已协调"}),
        ("/steps", {"step": "resolve", "note": "已协调", "on": "not-a-date"}),
        ("/steps", {"step": "resolve", "note": "已协调", "on": "2026-03-01"}),
        ("/steps", {"step": "verify", "note": "复查", "on": "2026-03-09"}),
        ("/steps", {"step": "", "note": "x"}),
        ("/steps", {"note": "长" * 2001, "step": "forward"}),
    ],
    ids=[
        "empty-note",
        "long-note",
        "forward-without-note",
        "send-back-without-note",
        "resolve-without-date",
        "resolve-bad-date",
        "resolve-before-found",
        "not-a-queue-step",
        "no-step",
        "long-step-note",
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(app, web, world, escalated, path, data):
    web.login("reviewer1", world.password)
    before = _hazard(app, world, escalated["S11"])
    response = web.post(f"/review/escalations/{escalated['S11']}{path}", data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True) or "flash-error" in response.get_data(
        as_text=True
    )
    assert _hazard(app, world, escalated["S11"]) == before


@pytest.mark.parametrize("who", ["school11", "keeper11", "viewer"])
def test_those_who_do_not_review_get_403(web, world, escalated, who):
    web.login(who, world.password)
    assert web.get("/review/escalations/").status_code == 403
    assert web.post(f"/review/escalations/{escalated['S11']}/notes", {"note": "x"}).status_code == 403


def test_the_hazard_page_offers_forward_and_shows_coordination_notes(app, web, world, escalated):
    web.login("reviewer1", world.password)
    url = f"/review/escalations/{escalated['S11']}"
    web.post(url + "/notes", {"note": "已联系镇供电所"})
    page = web.get(f"/hazards/{escalated['S11']}").get_data(as_text=True)
    assert 'value="forward"' in page and "已联系镇供电所" in page
    response = web.post(f"/hazards/{escalated['S11']}/steps", {"step": "forward", "note": "上报教育局"})
    assert response.status_code == 302
    assert _hazard(app, world, escalated["S11"])[1] == world.alpha.bureau_id
