"""Roster pages (the month form, copy last week, today's duty) and /api/v1/duty; bad input."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from schools.duty.models import DutyDay
from tenancy.extensions import db
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today


def _count(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count()).select_from(DutyDay))


def _month(day, rows: dict[int, dict]) -> dict:
    """A month form posting the given rows (index → fields) of the month of `day`."""
    data = {"month": f"{day:%Y-%m}"}
    for index, fields in rows.items():
        data[f"days-{index}-day"] = (day.replace(day=1) + timedelta(days=index)).isoformat()
        data.update({f"days-{index}-{name}": value for name, value in fields.items()})
    return data


def test_the_month_form_saves_every_row(app, world, login):
    s11 = world.alpha_orgs["S11"]
    school = login("school11")
    page = school.get(f"/schools/{s11}/duty/?month=2025-10")
    assert page.status_code == 200 and 'id="roster-form"' in page.get_data(as_text=True)
    assert page.get_data(as_text=True).count('name="days-') >= 31 * 6  # one row per day of October
    rows = {n: {"duty_person": "张老师", "leader": "王校长", "is_holiday": "y"} for n in range(7)}  # 国庆
    rows[9] = {"duty_person": "李老师", "duty_phone": "13900000000"}
    response = school.post(f"/schools/{s11}/duty/month", _month(date(2025, 10, 1), rows))
    assert response.status_code == 302 and response.headers["Location"].endswith("month=2025-10")
    assert _count(app, world) == 8
    shown = login("keeper11").get(f"/schools/{s11}/duty/?month=2025-10").get_data(as_text=True)
    assert 'id="roster-form"' not in shown and "李老师" in shown and "Holiday" in shown


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({2: {"duty_person": "张", "duty_phone": "call me"}}, "2025-10-03: call me is not a phone number"),
        ({4: {"leader_phone": "13900000000"}}, "2025-10-05: a phone number needs the name beside it"),
        ({5: {"note": "注" * 501}}, "2025-10-06: at most 500 characters"),
    ],
)
def test_a_bad_row_names_its_day_and_nothing_is_written(app, world, login, rows, message):
    rows = {0: {"duty_person": "张老师", "leader": "王校长"}} | rows
    response = login("school11").post(
        f"/schools/{world.alpha_orgs['S11']}/duty/month", _month(date(2025, 10, 1), rows)
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(app, world) == 0


@pytest.mark.parametrize(
    "data",
    [
        {"month": "2025-10", "days-0-day": "2025-11-01", "days-0-duty_person": "张"},  # another month's day
        {"month": "2025-10", "days-0-day": "yesterday", "days-0-duty_person": "张"},
        {"month": "2025-10", "days-0-day": "2025-10-01", "days-1-day": "2025-10-01"},  # the same day twice
        {"month": "October", "days-0-day": "2025-10-01", "days-0-duty_person": "张"},
    ],
)
def test_rows_must_name_days_of_the_month(app, world, login, data):
    response = login("school11").post(f"/schools/{world.alpha_orgs['S11']}/duty/month", data)
    assert response.status_code == 400
    assert _count(app, world) == 0


def test_copy_week_and_its_bad_input(app, world, login):
    s11 = world.alpha_orgs["S11"]
    school = login("school11")
    rows = {n: {"duty_person": f"老师{n}", "leader": "王校长"} for n in range(5, 12)}  # 2025-10-06 … 10-12
    assert school.post(f"/schools/{s11}/duty/month", _month(date(2025, 10, 1), rows)).status_code == 302
    assert school.post(f"/schools/{s11}/duty/copy-week", {"week_start": "2025-10-13"}).status_code == 302
    assert _count(app, world) == 14
    bad = school.post(f"/schools/{s11}/duty/copy-week", {"week_start": "next week"})
    assert bad.status_code == 400 and "Not a valid date value." in bad.get_data(as_text=True)


def test_today_shows_every_school_with_gaps_highlighted(app, world, login, api):
    with app.app_context(), tenant_context(world.alpha.id):
        today = tenant_today()
    assert (
        api(
            "school11",
            "PUT",
            "/api/v1/duty",
            {
                "school_id": world.alpha_orgs["S11"],
                "day": today.isoformat(),
                "duty_person": "赵老师",
                "leader": "钱校长",
            },
        ).status_code
        == 201
    )
    page = login("staff").get("/duty/today").get_data(as_text=True)
    assert "赵老师" in page and "钱校长" in page
    for code in ("S11", "S12", "S21", "D1"):
        assert f'id="school-{world.alpha_orgs[code]}"' in page
    assert f'id="school-{world.alpha_orgs["D1-G1"]}"' not in page
    assert page.count("no duty person") == 3  # S12, S21 and D1 have nobody today
    mine = login("reviewer2").get("/duty/today?gaps=1").get_data(as_text=True)
    assert "河口镇中心小学" in mine and "城关镇第一小学" not in mine


def test_api_put_list_read(api, world):
    s11 = world.alpha_orgs["S11"]
    body = {
        "school_id": s11,
        "day": "2025-10-01",
        "duty_person": "张老师",
        "leader": "王校长",
        "is_holiday": True,
    }
    created = api("school11", "PUT", "/api/v1/duty", body)
    assert created.status_code == 201 and created.get_json()["missing"] == []
    replaced = api("school11", "PUT", "/api/v1/duty", body | {"leader": ""})
    assert replaced.status_code == 200 and replaced.get_json()["missing"] == ["leader"]
    assert replaced.get_json()["id"] == created.get_json()["id"]
    api("school11", "PUT", "/api/v1/duty", body | {"day": "2025-10-08"})
    listing = api(
        "reviewer1", "GET", f"/api/v1/duty?school_id={s11}&from=2025-10-01&to=2025-10-07"
    ).get_json()
    assert listing["total"] == 1 and listing["items"][0]["day"] == "2025-10-01"
    assert api("reviewer2", "GET", "/api/v1/duty").get_json()["total"] == 0
    assert api("reviewer2", "GET", f"/api/v1/duty?school_id={s11}").status_code == 404
    assert api("keeper11", "GET", f"/api/v1/duty/{created.get_json()['id']}").get_json()["is_holiday"] is True
    cleared = api("school11", "PUT", "/api/v1/duty", {"school_id": s11, "day": "2025-10-08"})
    assert cleared.status_code == 204
    grade_group = api("school11", "PUT", "/api/v1/duty", body | {"school_id": world.alpha_orgs["D1-G1"]})
    assert grade_group.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"day": "2025-02-30"}, "day"),
        ({"day": None}, "day"),
        ({"duty_phone": "abc"}, "duty_phone"),
        ({"leader_phone": "1" * 21}, "leader_phone"),
        ({"duty_person": "", "duty_phone": "13800000000"}, "duty_phone"),
        ({"is_holiday": "maybe"}, "is_holiday"),
        ({"school_id": "S11"}, "school_id"),
    ],
)
def test_api_bad_bodies_are_400_naming_the_field(app, api, world, changes, field):
    body = {
        "school_id": world.alpha_orgs["S11"],
        "day": "2025-10-01",
        "duty_person": "张老师",
        "leader": "王校长",
    }
    response = api("school11", "PUT", "/api/v1/duty", body | changes)
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]
    assert _count(app, world) == 0


@pytest.mark.parametrize("query", ["?from=2025-10-08&to=2025-10-01", "?from=10/01/2025", "?school_id=x"])
def test_api_bad_queries_are_400(api, query):
    assert api("reviewer1", "GET", f"/api/v1/duty{query}").status_code == 400
