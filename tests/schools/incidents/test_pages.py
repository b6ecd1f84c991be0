"""The school's incident list, reporting form, the incident page with its reports, the live list."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from schools.contacts.operations import add_contact
from schools.incidents.models import Incident, IncidentReport
from schools.incidents.operations import add_report
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tests.schools.incidents.conftest import JPEG, incident_values, report


def _count(app, world, model=Incident) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(model))


def _make(app, world, code="S11", closed=False, **changes) -> int:
    """Report an incident through the operations (75 minutes late unless `now` is given)."""
    changes.setdefault("now", datetime(2026, 3, 5, 3, 15, tzinfo=UTC))
    with app.app_context(), tenant_context(world.alpha.id):
        incident = report(db.session.get(OrgUnit, world.alpha_orgs[code]), **changes)
        if closed:
            add_report(incident, "closing", {"text": "已结案"})
        db.session.commit()
        return incident.id


def _form(**changes) -> dict:
    values = incident_values(
        occurred_at=(datetime.now(UTC) + timedelta(hours=8, minutes=-20)).strftime("%Y-%m-%dT%H:%M")
    )
    values.update({"deaths": "0", "serious_injuries": "0", "minor_injuries": "1", "measures": "已送医"})
    return values | changes


def test_report_an_incident_through_the_form(app, world, login):
    client = login("school11")
    s11 = world.alpha_orgs["S11"]
    page = client.get(f"/schools/{s11}/incidents/new")
    assert page.status_code == 200 and 'type="datetime-local"' in page.get_data(as_text=True)
    response = client.post(
        f"/schools/{s11}/incidents/new", {**_form(), "attachment": (io.BytesIO(JPEG), "现场.jpg")}
    )
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Incident reported." in shown and "学生课间跑动时摔倒" in shown
    assert re.search(r"reported (19|20|21) minutes after it happened — on time", shown)
    assert "现场.jpg" in shown
    listing = client.get(f"/schools/{s11}/incidents/").get_data(as_text=True)
    assert "操场" in listing and "on time" in listing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"occurred_at": ""}, "occurred_at", "Give the date and time it happened."),
        ({"occurred_at": "5 March"}, "occurred_at", "YYYY-MM-DD HH:MM"),
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at", "cannot be in the future"),
        ({"kind": "meteor"}, "kind", "Not a valid choice"),
        ({"severity": "tiny"}, "severity", "Not a valid choice"),
        ({"place": ""}, "place", "Say where it happened."),
        ({"summary": ""}, "summary", "Say what happened."),
        ({"deaths": "-1"}, "deaths", "Give a whole number of people, 0 or more."),
        ({"minor_injuries": "a few"}, "minor_injuries", "integer"),
        ({"attachment": (io.BytesIO(b"MZ not a photo"), "x.exe")}, "attachment", "Only photos"),
    ],
)
def test_bad_input_on_the_report_form(app, world, login, changes, field, message):
    client = login("school11")
    response = client.post(f"/schools/{world.alpha_orgs['S11']}/incidents/new", _form(**changes))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    block = re.search(rf'<div class="field has-error">\s*<label for="{field}".*?</div>', body, re.S)
    assert block and message in block.group(0)
    assert _count(app, world) == 0


def test_the_incident_page_shows_the_lag_and_the_timeline(app, world, login):
    incident_id = _make(app, world, kind="fire", place="食堂后厨")
    page = login("reviewer1").get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "reported 75 minutes after it happened — late" in page
    assert "First report" in page and "食堂后厨" in page
    assert "follow_up-text" not in page  # reviewers read, schools report


def test_follow_up_and_closing_through_the_page(app, world, login):
    first, second = _make(app, world), _make(app, world, place="校门口")
    client = login("school11")
    assert 'name="follow_up-text"' in client.get(f"/incidents/{first}").get_data(as_text=True)
    response = client.post(
        f"/incidents/{first}/reports",
        {"kind": "follow_up", "follow_up-text": "伤者已返校", "follow_up-serious_injuries": "1"},
    )
    assert response.status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        assert [r.kind for r in db.session.get(Incident, first).reports] == ["first", "follow_up"]
        assert [r.kind for r in db.session.get(Incident, second).reports] == ["first"]
        assert db.session.get(Incident, first).serious_injuries == 1
    assert (
        client.post(f"/incidents/{first}/reports", {"kind": "closing", "closing-text": "结案"}).status_code
        == 302
    )
    closed = client.get(f"/incidents/{first}").get_data(as_text=True)
    assert "Closing report" in closed and 'name="follow_up-text"' not in closed
    again = client.post(f"/incidents/{first}/reports", {"kind": "follow_up", "follow_up-text": "再续报"})
    assert again.status_code == 409 and "This incident is closed" in again.get_data(as_text=True)
    assert _count(app, world, IncidentReport) == 4


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"kind": "follow_up", "follow_up-text": ""}, 400, "Write the report."),
        ({"kind": "follow_up", "follow_up-text": "x", "follow_up-deaths": "-3"}, 400, "0 or more"),
        (
            {"kind": "follow_up", "follow_up-text": "x", "follow_up-severity": "huge"},
            400,
            "Choose the severity.",
        ),
        (
            {"kind": "closing", "closing-text": "x", "closing-attachment": (io.BytesIO(b"GIF89a"), "a.gif")},
            400,
            "Only photos",
        ),
        ({"kind": "first", "first-text": "x"}, 400, ""),
    ],
)
def test_bad_input_on_the_report_forms(app, world, login, data, status, message):
    incident_id = _make(app, world)
    response = login("school11").post(f"/incidents/{incident_id}/reports", data)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert _count(app, world, IncidentReport) == 1


def test_reports_only_reach_incidents_in_scope(app, world, login):
    s21_incident = _make(app, world, code="S21")
    client = login("school11")
    assert client.get(f"/incidents/{s21_incident}").status_code == 404
    response = client.post(f"/incidents/{s21_incident}/reports", {"kind": "follow_up", "follow_up-text": "x"})
    assert response.status_code == 404
    assert (
        login("reviewer1")
        .post(f"/incidents/{_make(app, world)}/reports", {"kind": "follow_up", "follow_up-text": "x"})
        .status_code
        == 403
    )
    assert _count(app, world, IncidentReport) == 2


def test_the_live_list(app, world, login):
    _make(app, world, place="楼梯口")
    _make(
        app,
        world,
        code="S21",
        place="河边",
        kind="drowning",
        deaths=1,
        now=datetime(2026, 3, 5, 2, 40, tzinfo=UTC),
    )
    _make(app, world, place="已结案地点", closed=True)
    page = login("staff").get("/incidents/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'src="/static/js/incidents.js"' in body and "<script>" not in body
    assert body.index("河边") < body.index("楼梯口") and "已结案地点" not in body
    assert 'class="level-major"' in body and "— late" in body and "— on time" in body
    assert "楼梯口" not in login("staff").get("/incidents/?serious=1").get_data(as_text=True)
    assert "已结案地点" in login("staff").get("/incidents/?status=").get_data(as_text=True)
    assert "河边" not in login("staff").get("/incidents/?kind=injury").get_data(as_text=True)
    assert "楼梯口" not in login("staff").get("/incidents/?from=2026-03-06").get_data(as_text=True)
    central = login("reviewer2").get("/incidents/").get_data(as_text=True)
    assert "河边" in central and "楼梯口" not in central


def test_the_incident_page_lists_the_partners_for_its_kind(app, world, login):
    with app.app_context(), tenant_context(world.alpha.id):
        school = db.session.get(OrgUnit, world.alpha_orgs["S11"])
        for kind, name in [
            ("police_station", "城关派出所"),
            ("fire_brigade", "县消防救援大队城关站"),
            ("cdc", "县疾控中心"),
            ("township_hospital", "城关镇卫生院"),
        ]:
            add_contact(school, {"kind": kind, "unit_name": name, "person": "联系人", "phone": "13912345678"})
        db.session.commit()
    fire = login("school11").get(f"/incidents/{_make(app, world, kind='fire')}").get_data(as_text=True)
    partners = re.search(r'id="partners".*?</section>', fire, re.S).group(0)
    assert "县消防救援大队城关站" in partners and "城关镇卫生院" in partners
    assert "城关派出所" not in partners and "县疾控中心" not in partners
    food = (
        login("school11").get(f"/incidents/{_make(app, world, kind='food_poisoning')}").get_data(as_text=True)
    )
    partners = re.search(r'id="partners".*?</section>', food, re.S).group(0)
    assert (
        partners.index("县疾控中心") < partners.index("城关镇卫生院")
        and "县消防救援大队城关站" not in partners
    )
    drowning = (
        login("school11")
        .get(f"/incidents/{_make(app, world, kind='violence_bullying')}")
        .get_data(as_text=True)
    )
    partners = re.search(r'id="partners".*?</section>', drowning, re.S).group(0)
    assert "城关派出所" in partners and "No contact recorded for:" not in partners
