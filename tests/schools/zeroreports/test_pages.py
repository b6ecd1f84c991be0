"""The zero-report pages: opening a window, the completeness table, switching off, a school's days."""

import io
from datetime import date, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from schools.zeroreports import operations
from schools.zeroreports.models import ZeroReport, ZeroReportWindow
from tenancy.extensions import db
from tenancy.models import AuditEvent, OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.fixtures.app import WebClient
from tests.schools.zeroreports.conftest import ITEMS, local


def _client(app, world, username) -> WebClient:
    """Log in and switch the interface to English, so messages can be matched."""
    client = WebClient(app)
    assert client.login(username, world.password).status_code == 302
    assert client.post("/language", {"locale": "en"}).status_code == 302
    return client


def _count(app, world, model) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(model))


def _today(app, world) -> date:
    with app.app_context(), tenant_context(world.alpha.id):
        return tenant_today()


@pytest.fixture
def story(app, world):
    """A window for every school switched on three days ago (deadline 16:00) with a few reports:
    S11 reported every day (day 1 with counts), S12 day 1 late, D1 day 2 zero; S21 nothing."""
    with app.app_context(), tenant_context(world.alpha.id):
        units = {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}
        for unit in units.values():
            unit.created_at = local(date(2020, 1, 1))
        today = tenant_today()
        day1, day2 = today - timedelta(days=3), today - timedelta(days=2)
        window = operations.open_window(
            title="秋冬季传染病防控日报",
            starts_on=day1,
            ends_on=None,
            deadline=time(16),
            items=ITEMS,
            now=local(day1, 8),
        )
        submit = operations.submit_report
        submit(window, units["S11"], day1, {"因病缺课人数": 5, "发热人数": 2}, "流感", now=local(day1, 9))
        for offset in (1, 2):
            submit(
                window,
                units["S11"],
                day1 + timedelta(days=offset),
                {},
                now=local(day1 + timedelta(days=offset), 9),
            )
        submit(window, units["S12"], day1, {}, now=local(day1, 18))
        submit(window, units["D1"], day2, {}, now=local(day2, 10))
        db.session.commit()
        return {"window": window.id, "day1": day1, "day2": day2, "today": today, "ids": world.alpha_orgs}


# --- opening a window ----------------------------------------------------------------------------


def test_bureau_opens_a_window_for_chosen_units(app, world):
    web = _client(app, world, "staff")
    today = _today(app, world)
    page = web.get("/zero-reports/")
    assert page.status_code == 200 and 'id="open-window"' in page.get_data(as_text=True)
    response = web.post(
        "/zero-reports/new",
        {
            "title": "防汛期间每日零报告",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "deadline": "16:00",
            "items": "险情数量\n转移人数\n",
            "target": "selected",
            "target_unit_ids": [str(world.alpha_orgs["C2"]), str(world.alpha_orgs["D1"])],
        },
    )
    assert response.status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        window = db.session.scalar(select(ZeroReportWindow))
        assert window.items == ["险情数量", "转移人数"] and not window.covers_all
        assert sorted(target.unit.code for target in window.targets) == ["C2", "D1"]
        assert db.session.scalar(
            select(AuditEvent.action).where(AuditEvent.object_type == "ZeroReportWindow")
        ) == ("zeroreport_window.open")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the window a title."),
        ({"deadline": "25:00"}, "Not a valid time value."),
        ({"deadline": ""}, "Give the daily deadline"),
        ({"starts_on": "2020-01-01"}, "A window starts today or later."),
        ({"starts_on": "tomorrow"}, "Not a valid date value."),
        ({"ends_on": "2020-01-01"}, "The end date cannot be before the start date."),
        ({"items": ""}, "Name at least one item to count."),
        ({"items": "发热人数\n发热人数"}, "is named twice"),
        ({"target": "selected"}, "Choose at least one central school or school"),
        ({"target": "selected", "target_unit_ids": "D1-G1"}, "cannot be a target"),
        ({"target": "some"}, "Not a valid choice"),
    ],
)
def test_bad_window_form_is_refused_next_to_the_field(app, world, changes, message):
    web = _client(app, world, "admin")
    data = {
        "title": "防汛期间每日零报告",
        "starts_on": _today(app, world).isoformat(),
        "deadline": "16:00",
        "items": "险情数量",
        "target": "all",
    } | changes
    if data.get("target_unit_ids") == "D1-G1":
        data["target_unit_ids"] = str(world.alpha_orgs["D1-G1"])
    response = web.post("/zero-reports/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, world, ZeroReportWindow) == 0


def test_central_reviewers_cannot_open_windows(app, world):
    web = _client(app, world, "reviewer1")
    assert web.get("/zero-reports/new").status_code == 403
    assert 'id="open-window"' not in web.get("/zero-reports/").get_data(as_text=True)


# --- the completeness table ----------------------------------------------------------------------


def test_window_page_counts_and_cell_values(app, world, story):
    web = _client(app, world, "staff")
    page = web.get(f"/zero-reports/{story['window']}").get_data(as_text=True)
    # 4 schools (S11, S12, S21, D1) × 4 days; today is pending or missing depending on the hour.
    totals = page.split('id="totals"')[1].split("</tr>")[0]
    assert ">2/4<" in totals.replace("</td>", "<").replace('<td class="nowrap">', ">")
    assert "Switch off today" in page and 'id="change-end"' in page
    detail = web.get(
        f"/zero-reports/{story['window']}?school={story['ids']['S11']}&day={story['day1'].isoformat()}"
    ).get_data(as_text=True)
    picked = detail.split('id="picked"')[1].split("</section>")[0]
    assert (
        "<strong>5</strong>因病缺课人数" in picked
        and "<strong>2</strong>发热人数" in picked
        and "流感" in picked
    )


def test_central_reviewer_sees_its_schools_read_only(app, world, story):
    web = _client(app, world, "reviewer1")
    page = web.get(f"/zero-reports/{story['window']}").get_data(as_text=True)
    assert "城关镇第一小学" in page and "城关镇中心幼儿园" in page
    assert "河口镇中心小学" not in page and "县实验中学" not in page
    assert "Switch off today" not in page and 'id="change-end"' not in page
    assert web.post(f"/zero-reports/{story['window']}/switch-off").status_code == 403


def test_switch_off_and_change_end_from_the_page(app, world, story):
    web = _client(app, world, "admin")
    bad = web.post(f"/zero-reports/{story['window']}/end", {"ends_on": "2020-01-01"})
    assert bad.status_code == 400 and "The end date cannot be before the start date." in bad.get_data(
        as_text=True
    )
    junk = web.post(f"/zero-reports/{story['window']}/end", {"ends_on": "soon"})
    assert junk.status_code == 400 and "Not a valid date value." in junk.get_data(as_text=True)
    later = (story["today"] + timedelta(days=10)).isoformat()
    assert web.post(f"/zero-reports/{story['window']}/end", {"ends_on": later}).status_code == 302
    assert web.post(f"/zero-reports/{story['window']}/switch-off").status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        window = db.session.get(ZeroReportWindow, story["window"])
        assert (window.status, window.ends_on) == ("ended", story["today"])
    again = web.post(f"/zero-reports/{story['window']}/switch-off", follow_redirects=True)
    assert "already switched off" in again.get_data(as_text=True)


def test_export_holds_the_table_in_scope(app, world, story):
    web = _client(app, world, "reviewer1")
    response = web.get(f"/zero-reports/{story['window']}/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["完成情况"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学校", "上级单位", story["day1"].strftime("%m-%d"))
    by_school = {row[0]: row for row in rows[1:] if row[0] in ("城关镇第一小学", "城关镇中心幼儿园")}
    assert by_school["城关镇第一小学"][2:5] == ("已报", "零报告", "零报告")
    assert by_school["城关镇中心幼儿园"][2:4] == ("迟报", "缺报")
    assert len(rows) == 1 + 2 + 2  # header, two schools, totals and rates
    details = list(workbook["报告明细"].iter_rows(values_only=True))
    assert details[0][:4] == ("学校", "日期", *ITEMS)
    assert ("城关镇第一小学", 5, 2) in [(row[0], row[2], row[3]) for row in details[1:]]


# --- a school's days -----------------------------------------------------------------------------


def test_school_reports_zero_with_one_click_then_corrects(app, world, story):
    web = _client(app, world, "school11")
    s12 = story["ids"]["S12"]
    page = web.get(f"/zero-reports/schools/{story['ids']['S11']}").get_data(as_text=True)
    assert "Zero report: all are 0" in page and "秋冬季传染病防控日报" in page
    day = story["today"].isoformat()
    base = {"window_id": str(story["window"]), "day": day}
    assert (
        web.post(f"/zero-reports/schools/{story['ids']['S11']}/report", base | {"zero": "1"}).status_code
        == 302
    )
    corrected = web.post(
        f"/zero-reports/schools/{story['ids']['S11']}/report",
        base | {"value-0": "2", "value-1": "", "note": "两人请病假"},
    )
    assert corrected.status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        report = db.session.scalar(select(ZeroReport).where(ZeroReport.day == story["today"]))
        assert report.values == {"因病缺课人数": 2, "发热人数": 0} and report.note == "两人请病假"
    assert web.get(f"/zero-reports/schools/{s12}").status_code == 404  # not school11's school


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value-1": "-1"}, "“发热人数”: give a whole number from 0 to 1000000."),
        ({"value-0": "2.5"}, "“因病缺课人数”: give a whole number from 0 to 1000000."),
        ({"value-0": "abc"}, "“因病缺课人数”"),
        ({"day": "2020-01-01"}, "Report a day from"),
        ({"day": "next week"}, "Not a valid date value."),
        ({"window_id": "999999"}, "Choose a window of this school."),
        ({"note": "长" * 501}, "Field cannot be longer than 500 characters."),
    ],
)
def test_bad_report_form_is_refused_and_nothing_is_written(app, world, story, data, message):
    web = _client(app, world, "school11")
    before = _count(app, world, ZeroReport)
    base = {"window_id": str(story["window"]), "day": story["today"].isoformat()}
    response = web.post(f"/zero-reports/schools/{story['ids']['S11']}/report", base | data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app, world, ZeroReport) == before


def test_others_see_the_school_page_without_the_form(app, world, story):
    web = _client(app, world, "reviewer1")
    page = web.get(f"/zero-reports/schools/{story['ids']['S11']}")
    assert page.status_code == 200 and "Zero report: all are 0" not in page.get_data(as_text=True)
    assert "流感" in page.get_data(as_text=True)  # the history
    assert web.post(f"/zero-reports/schools/{story['ids']['S11']}/report", {"zero": "1"}).status_code == 403
    assert (
        _client(app, world, "admin").get(f"/zero-reports/schools/{story['ids']['D1-G1']}").status_code == 404
    )
