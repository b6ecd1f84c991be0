"""/api/v1/notices: scoped lists with filters, one notice with its hazards and answers."""

import pytest

from bureau.notices.operations import answer_notice, decide, issue_notice
from tenancy.auth.sessions import issue_token
from tenancy.extensions import db
from tenancy.models import User
from tenancy.scoping import tenant_context
from tests.bureau.notices.conftest import PNG, Alpha


@pytest.fixture
def api(app, world):
    """Return call(username, path) → response, with a fresh token of that alpha user."""
    client = app.test_client()
    secrets = {}

    def call(username, path):
        if username not in secrets:
            with app.app_context(), tenant_context(world.alpha.id):
                _token, secrets[username] = issue_token(
                    db.session.get(User, world.alpha_users[username]), "t"
                )
                db.session.commit()
        return client.get(path, headers={"Authorization": f"Bearer {secrets[username]}"})

    return call


@pytest.fixture
def notices(app, world):
    """C1 → S11 (answered, then accepted), C2 → S21, bureau → S12 and bureau → D1."""
    with app.app_context(), tenant_context(world.alpha.id):
        alpha = Alpha(world)
        ids = {}
        for key, issuer, school, user in (
            ("c1_s11", "C1", "S11", "reviewer1"),
            ("c2_s21", "C2", "S21", "reviewer2"),
            ("bureau_s12", "ALPHA", "S12", "staff"),
            ("bureau_d1", "ALPHA", "D1", "staff"),
        ):
            hazard = alpha.hazard(school)
            notice = issue_notice(
                alpha.unit(issuer),
                alpha.unit(school),
                [hazard.id],
                alpha.deadline(),
                f"通知{key}",
                "请整改。",
                alpha.user(user),
            )
            ids[key] = notice.id
            if key == "c1_s11":
                answer_notice(notice, "已整改", [("a.png", PNG)], alpha.user("school11"))
                decide(notice, True, "", alpha.user("reviewer1"))
        db.session.commit()
        return ids


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("school11", {"c1_s11"}),
        ("reviewer1", {"c1_s11", "bureau_s12"}),  # issued by C1, and sent to C1's schools
        ("reviewer2", {"c2_s21"}),
        ("staff", {"c1_s11", "c2_s21", "bureau_s12", "bureau_d1"}),
        ("viewer", {"c1_s11", "c2_s21", "bureau_s12", "bureau_d1"}),
        ("keeper11", set()),
    ],
)
def test_each_level_lists_only_its_notices(api, notices, user, expected):
    body = api(user, "/api/v1/notices?per_page=50").get_json()
    assert {item["id"] for item in body["items"]} == {notices[key] for key in expected}
    assert body["total"] == len(expected) and body["page"] == 1 and body["per_page"] == 50


def test_filters_and_pagination(api, notices, world):
    accepted = api("staff", "/api/v1/notices?status=accepted").get_json()
    assert [item["id"] for item in accepted["items"]] == [notices["c1_s11"]]
    year = accepted["items"][0]["year"]
    assert api("staff", f"/api/v1/notices?year={year - 1}").get_json()["total"] == 0
    by_school = api("staff", f"/api/v1/notices?school_id={world.alpha_orgs['D1']}").get_json()
    assert [item["id"] for item in by_school["items"]] == [notices["bureau_d1"]]
    page = api("staff", "/api/v1/notices?per_page=3&page=2").get_json()
    assert page["total"] == 4 and len(page["items"]) == 1
    numbers = [item["number"] for item in api("staff", "/api/v1/notices").get_json()["items"]]
    assert numbers == sorted(numbers, reverse=True)


@pytest.mark.parametrize(
    "query", ["status=lost", "year=abc", "year=1800", "school_id=x", "per_page=0", "page=-1"]
)
def test_bad_filters_are_a_400_naming_the_field(api, notices, query):
    response = api("staff", f"/api/v1/notices?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and query.split("=")[0] in error["fields"]


def test_a_school_filter_outside_the_subtree_is_404(api, notices, world):
    response = api("reviewer1", f"/api/v1/notices?school_id={world.alpha_orgs['S21']}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_one_notice_with_its_hazards_answers_and_decision(api, notices):
    body = api("school11", f"/api/v1/notices/{notices['c1_s11']}").get_json()
    assert body["label"] == f"〔{body['year']}〕第{body['number']}号"
    assert body["status"] == "accepted" and body["overdue"] is False
    assert body["school_name"] == "城关镇第一小学" and body["issuer_name"] == "城关镇中心学校"
    assert [h["description"] for h in body["hazards"]] == ["灭火器压力不足"]
    [answer] = body["answers"]
    assert answer["decision"] == "accepted" and answer["attachments"][0]["content_type"] == "image/png"


@pytest.mark.parametrize(
    ("user", "key"), [("reviewer2", "c1_s11"), ("school11", "bureau_s12"), ("keeper11", "c1_s11")]
)
def test_a_notice_outside_the_subtree_is_404(api, notices, user, key):
    response = api(user, f"/api/v1/notices/{notices[key]}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert api("staff", "/api/v1/notices/999999").status_code == 404


def test_the_openapi_document_describes_the_notice_endpoints(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert {"/notices", "/notices/{notice_id}"} <= set(document["paths"])
    parameters = {p["name"] for p in document["paths"]["/notices"]["get"]["parameters"]}
    assert {"status", "year", "school_id", "page", "per_page"} <= parameters
