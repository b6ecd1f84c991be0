"""/api/v1/assessments: the rubric and the results in the caller's scope, one school's result.

The year is alpha's last year as tests/isolation/assessment_api.py's last_years() makes it: S12 75,
S11 72.5 (its inspection entered with a comment), D1 62.5, S21 vetoed; beta keeps a rubric of the
same year (and no results).
"""

import pytest
from sqlalchemy import select, update

from bureau.assessment.operations import close_year
from bureau.assessment.queries import rubric_of
from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import User
from tenancy.scoping import tenant_context
from tests.isolation.assessment_api import SECRET, last_years

ALL = ["S12", "S11", "D1", "S21"]


@pytest.fixture
def year(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        db.session.execute(update(User).values(locale="en"))  # messages in English
        db.session.commit()
    return last_years(app, world)


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [row["school_code"] for row in response.get_json()["results"]]


def test_the_year_with_every_result_for_the_bureau(api, world, year):
    body = api("admin", "GET", f"/api/v1/assessments/{year}").get_json()
    assert (body["year"], body["status"], body["computed_through"]) == (year, "open", f"{year}-12-31")
    assert body["computed_at"]
    assert body["bands"] == {"excellent": 90, "good": 80, "pass": 60}
    codes = [item["code"] for item in body["indicators"]]
    assert codes[:2] == ["reports", "rectification"] and codes[-2:] == ["casualties", "concealment"]
    reports = body["indicators"][0]
    assert set(reports) == {"code", "name", "kind", "weight", "source", "rule", "params", "evidence"}
    assert (reports["kind"], reports["weight"], reports["source"], reports["rule"]) == (
        "score",
        15,
        "reports",
        "deduction",
    )
    assert reports["params"] == {"points": {"late": 2, "missing": 3}, "floor": 0}

    assert [row["school_code"] for row in body["results"]] == ALL
    s11 = body["results"][1]
    assert {key: s11[key] for key in s11 if key != "indicators"} == {
        "school_id": world.alpha_orgs["S11"],
        "school_code": "S11",
        "school_name": "城关镇第一小学",
        "central_id": world.alpha_orgs["C1"],
        "central_name": "城关镇中心学校",
        "first_day": f"{year}-01-01",
        "last_day": f"{year}-12-31",
        "total": 72.5,
        "vetoed": False,
        "grade": "pass",
        "rank_tenant": 2,
        "rank_central": 2,
    }
    assert s11["indicators"]["inspection"] == {
        "points": 13.5,
        "rate": None,
        "counts": {},
        "value": 90.0,
        "applies": False,
        "missing": False,
        "comment": SECRET,
    }
    assert s11["indicators"]["reports"]["counts"] == {"due": 0, "on_time": 0, "late": 0, "missing": 0}
    assert s11["indicators"]["education"]["points"] == 4.0
    assert set(s11["indicators"]) == set(codes)  # keyed by code (the rubric gives the order)
    d1, s21 = body["results"][2], body["results"][3]
    assert (d1["central_id"], d1["central_name"], d1["rank_central"]) == (None, None, 1)
    assert (s21["vetoed"], s21["grade"], s21["rank_tenant"], s21["rank_central"]) == (True, "fail", 4, 1)
    assert s21["indicators"]["concealment"]["applies"] is True


@pytest.mark.parametrize(
    ("who", "codes"),
    [
        ("admin", ALL),
        ("viewer", ALL),
        ("reviewer1", ["S12", "S11"]),
        ("reviewer2", ["S21"]),
        ("school11", ["S11"]),
        ("keeper11", ["S11"]),
    ],
)
def test_each_caller_sees_only_its_schools(api, year, who, codes):
    response = api(who, "GET", f"/api/v1/assessments/{year}")
    assert _codes(response) == codes
    assert response.get_json()["indicators"]  # the rubric is for everyone who sees a result


def test_the_central_filter(api, world, year):
    central = world.alpha_orgs["C1"]
    assert _codes(api("admin", "GET", f"/api/v1/assessments/{year}?central={central}")) == ["S12", "S11"]
    assert _codes(api("reviewer1", "GET", f"/api/v1/assessments/{year}?central={central}")) == ["S12", "S11"]
    assert _codes(api("admin", "GET", f"/api/v1/assessments/{year}?central={world.alpha_orgs['C2']}")) == [
        "S21"
    ]
    cases = [
        ("admin", "abc", 400, "central must be the id of a central school."),
        ("admin", world.alpha_orgs["S11"], 400, "central: 城关镇第一小学 is not a central school."),
        ("admin", 987654, 404, "central: no central school 987654 in your area."),
        (
            "reviewer1",
            world.alpha_orgs["C2"],
            404,
            f"central: no central school {world.alpha_orgs['C2']} in your area.",
        ),
        ("school11", central, 404, f"central: no central school {central} in your area."),
    ]
    for who, value, status, message in cases:
        response = api(who, "GET", f"/api/v1/assessments/{year}?central={value}")
        error = response.get_json()["error"]
        assert (response.status_code, error["message"]) == (status, message), who
        assert error["fields"] == {"central": [message]}


def test_one_schools_result(api, world, year):
    school = world.alpha_orgs["S11"]
    body = api("school11", "GET", f"/api/v1/assessments/{year}/schools/{school}").get_json()
    assert (body["year"], body["status"], body["school_code"], body["total"]) == (year, "open", "S11", 72.5)
    assert body["indicators"]["inspection"]["comment"] == SECRET
    assert api("reviewer1", "GET", f"/api/v1/assessments/{year}/schools/{school}").status_code == 200
    assert (
        api("admin", "GET", f"/api/v1/assessments/{year}/schools/{world.alpha_orgs['D1']}").status_code == 200
    )
    for who, code in [
        ("school11", "S12"),
        ("reviewer1", "S21"),
        ("reviewer2", "S11"),
        ("admin", "C1"),  # a central school is not assessed
    ]:
        response = api(who, "GET", f"/api/v1/assessments/{year}/schools/{world.alpha_orgs[code]}")
        assert response.status_code == 404, (who, code)
        assert SECRET not in response.get_data(as_text=True)
    grade_group = api("admin", "GET", f"/api/v1/assessments/{year}/schools/{world.alpha_orgs['D1-G1']}")
    assert grade_group.status_code == 404
    assert grade_group.get_json()["error"]["message"] == f"初一年级组 has no result for {year}."


def test_a_year_without_a_rubric_and_a_closed_year(app, api, world, year):
    for path in (f"/api/v1/assessments/{year - 1}", f"/api/v1/assessments/{year - 1}/schools/1"):
        response = api("admin", "GET", path)
        assert response.status_code == 404
        assert response.get_json()["error"]["message"] == f"There is no {year - 1} assessment."
    with app.app_context(), tenant_context(world.alpha.id):
        close_year(rubric_of(year))
        db.session.commit()
    assert api("school11", "GET", f"/api/v1/assessments/{year}").get_json()["status"] == "closed"


def test_another_tenant_sees_nothing_of_alpha(app, world, year):
    with app.app_context(), tenant_context(world.beta.id):
        user = db.session.scalar(select(User).where(User.username == "betaadmin"))
        _token, secret = issue_token(user, "test")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    own = client.get(f"/api/v1/assessments/{year}", headers=headers)
    assert own.status_code == 200 and own.get_json()["results"] == []  # beta computed nothing
    for path in (
        f"/api/v1/assessments/{year}?central={world.alpha_orgs['C1']}",
        f"/api/v1/assessments/{year}/schools/{world.alpha_orgs['S11']}",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        for text in ("城关镇", SECRET, "S11"):
            assert text not in response.get_data(as_text=True)
    assert client.get(f"/api/v1/assessments/{year}").status_code == 401


def test_the_openapi_document_describes_both_endpoints(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    year = document["paths"]["/assessments/{year}"]["get"]
    school = document["paths"]["/assessments/{year}/schools/{school_id}"]["get"]
    assert year["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Assessment"
    }
    assert school["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SchoolResult"
    }
    assert any(parameter.get("name") == "central" for parameter in year["parameters"])
    schemas = document["components"]["schemas"]
    assert {"Assessment", "SchoolResult", "Result", "Score", "Indicator", "Bands"} <= set(schemas)
    assert set(schemas["Bands"]["properties"]) == {"excellent", "good", "pass"}
