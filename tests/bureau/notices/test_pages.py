"""Notice pages: issuing, the list, answering with files, deciding, printing, and every refusal."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bureau.notices.models import Notice, NoticeAnswer
from bureau.notices.operations import answer_notice, issue_notice
from tenancy.extensions import db
from tenancy.scoping import tenant_context
from tests.bureau.notices.conftest import FAKE_PHOTO, PNG, Alpha

CSS = Path(__file__).resolve().parents[3] / "tenancy" / "static" / "css" / "safegrid.css"


@pytest.fixture
def setup(app, world):
    """Hazards at S11 (two) and S12 (one); returns their ids and a way to issue and answer notices."""
    with app.app_context(), tenant_context(world.alpha.id):
        alpha = Alpha(world)
        ids = {
            "s11a": alpha.hazard("S11", "灭火器压力不足").id,
            "s11b": alpha.hazard("S11", "疏散指示灯损坏", location="二楼走廊").id,
            "s12": alpha.hazard("S12", "滑梯护栏松动").id,
        }
        db.session.commit()
    return ids


def _in_alpha(app, world, work):
    with app.app_context(), tenant_context(world.alpha.id):
        result = work(Alpha(world))
        db.session.commit()
        return result


def _notice(app, world, setup, *, answered=False, issuer="C1", user="reviewer1") -> int:
    def work(alpha):
        notice = issue_notice(
            alpha.unit(issuer),
            alpha.unit("S11"),
            [setup["s11a"], setup["s11b"]],
            alpha.deadline(),
            "关于城关镇第一小学消防隐患的整改通知",
            "请逐项整改。\n整改完成后书面回复。",
            alpha.user(user),
        )
        if answered:
            answer_notice(notice, "已全部整改", [("a.png", PNG)], alpha.user("school11"))
        return notice.id

    return _in_alpha(app, world, work)


def _load(app, world, notice_id):
    with app.app_context(), tenant_context(world.alpha.id):
        notice = db.session.get(Notice, notice_id)
        return notice.status, [(a.measures, a.decision, a.decision_comment) for a in notice.answers]


def _count(app, world, model) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        return db.session.scalar(select(func.count(model.id)))


def _form(setup, **changes) -> dict:
    deadline = (date.today() + timedelta(days=14)).isoformat()
    data = {
        "issuer_unit_id": "",
        "hazard_ids": [setup["s11a"]],
        "deadline": deadline,
        "title": "消防隐患整改通知",
        "body": "请于期限内整改。",
    }
    return data | changes


def test_a_central_reviewer_issues_a_notice_through_the_pages(app, web, world, setup):
    web.login("reviewer1", world.password)
    picker = web.get("/notices/new").get_data(as_text=True)
    assert "城关镇第一小学" in picker and "城关镇中心幼儿园" in picker
    assert "河口镇中心小学" not in picker and "县实验中学" not in picker
    form = web.get(f"/notices/new?school_id={world.alpha_orgs['S11']}&hazard_id={setup['s11b']}")
    page = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "灭火器压力不足" in page and "疏散指示灯损坏" in page and "滑梯护栏松动" not in page
    assert re.search(rf'value="{setup["s11b"]}" checked', page)
    data = _form(setup, issuer_unit_id=world.alpha_orgs["C1"], hazard_ids=[setup["s11a"], setup["s11b"]])
    response = web.post(f"/notices/new?school_id={world.alpha_orgs['S11']}", data)
    assert response.status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        notice = db.session.scalar(select(Notice))
        assert notice.issuer_unit_id == world.alpha_orgs["C1"] and len(notice.hazards) == 2
        assert response.headers["Location"].endswith(f"/notices/{notice.id}")
        label = notice.label
    listing = web.get("/notices/").get_data(as_text=True)
    assert label in listing and "消防隐患整改通知" in listing


@pytest.mark.parametrize(
    ("who", "school", "status"),
    [("school11", "S11", 403), ("viewer", "S11", 403), ("reviewer1", "S21", 404), ("reviewer1", "C1", 404)],
)
def test_issuing_is_refused_outside_the_issuers_reach(web, world, setup, who, school, status):
    web.login(who, world.password)
    assert web.get(f"/notices/new?school_id={world.alpha_orgs[school]}").status_code == status


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hazard_ids": []}, "hazard_ids"),
        ({"hazard_ids": ["s12"]}, "hazard_ids"),
        ({"hazard_ids": ["abc"]}, "hazard_ids"),
        ({"deadline": "yesterday"}, "deadline"),
        ({"deadline": "past"}, "deadline"),
        ({"deadline": ""}, "deadline"),
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"issuer_unit_id": "ALPHA"}, "issuer_unit_id"),
    ],
    ids=[
        "no-hazards",
        "hazard-of-another-school",
        "junk-hazard",
        "bad-date",
        "deadline-in-the-past",
        "no-deadline",
        "no-title",
        "long-title",
        "no-body",
        "issuer-not-mine",
    ],
)
def test_bad_notice_forms_name_the_field_and_write_nothing(app, web, world, setup, changes, field):
    web.login("reviewer1", world.password)
    values = _form(setup, **({"issuer_unit_id": world.alpha_orgs["C1"]} | changes))
    if values["hazard_ids"] == ["s12"]:
        values["hazard_ids"] = [setup["s12"]]
    if values["deadline"] == "past":
        values["deadline"] = (date.today() - timedelta(days=2)).isoformat()  # past in every time zone
    if values["issuer_unit_id"] == "ALPHA":
        values["issuer_unit_id"] = world.alpha.bureau_id
    response = web.post(f"/notices/new?school_id={world.alpha_orgs['S11']}", values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error"' in page
    assert _count(app, world, Notice) == 0


def test_the_school_answers_with_a_photo_and_the_issuer_downloads_it(app, web, world, setup):
    notice_id = _notice(app, world, setup)
    web.login("school11", world.password)
    page = web.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert f"/notices/{notice_id}/answer" in page
    response = web.post(
        f"/notices/{notice_id}/answer",
        {"measures": "已更换灭火器，维修指示灯", "files": [(io.BytesIO(PNG), "现场.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    status, answers = _load(app, world, notice_id)
    assert status == "answered" and answers == [("已更换灭火器，维修指示灯", None, None)]
    reviewer = type(web)(app)
    reviewer.login("reviewer1", world.password)
    page = reviewer.get(f"/notices/{notice_id}").get_data(as_text=True)
    link = re.search(r'href="(/notices/files/\d+)"', page).group(1)
    download = reviewer.get(link)
    assert download.status_code == 200 and download.data == PNG
    assert 'id="decide"' in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"measures": "已整改", "files": [(io.BytesIO(FAKE_PHOTO), "photo.jpg")]}, "files"),
        (
            {"measures": "已整改", "files": [(io.BytesIO(PNG), "ok.png"), (io.BytesIO(b"GIF89a"), "x.gif")]},
            "files",
        ),
        ({"measures": "", "files": [(io.BytesIO(PNG), "ok.png")]}, "measures"),
        ({"measures": "x" * 5001}, "measures"),
    ],
    ids=["fake-photo", "gif-among-photos", "no-measures", "long-measures"],
)
def test_bad_answers_name_the_problem_and_write_nothing(app, web, world, setup, data, field):
    notice_id = _notice(app, world, setup)
    web.login("school11", world.password)
    response = web.post(f"/notices/{notice_id}/answer", data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert _load(app, world, notice_id) == ("issued", [])
    assert _count(app, world, NoticeAnswer) == 0


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "reject", "comment": ""},
        {"comment": "好"},
        {"decision": "maybe"},
        {"decision": "reject", "comment": "x" * 2001},
    ],
    ids=["reject-without-comment", "no-decision", "junk-decision", "long-comment"],
)
def test_bad_decisions_are_refused(app, web, world, setup, data):
    notice_id = _notice(app, world, setup, answered=True)
    web.login("reviewer1", world.password)
    response = web.post(f"/notices/{notice_id}/decide", data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert _load(app, world, notice_id)[0] == "answered"


def test_reject_then_answer_again_then_accept(app, web, world, setup):
    notice_id = _notice(app, world, setup, answered=True)
    reviewer = web
    reviewer.login("reviewer1", world.password)
    assert (
        reviewer.post(
            f"/notices/{notice_id}/decide", {"decision": "reject", "comment": "缺少复查照片"}
        ).status_code
        == 302
    )
    school = type(web)(app)
    school.login("school11", world.password)
    page = school.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert "缺少复查照片" in page and f"/notices/{notice_id}/answer" in page
    school.post(
        f"/notices/{notice_id}/answer",
        {"measures": "补充复查照片", "files": [(io.BytesIO(PNG), "复查.png")]},
        content_type="multipart/form-data",
    )
    assert reviewer.post(f"/notices/{notice_id}/decide", {"decision": "accept"}).status_code == 302
    status, answers = _load(app, world, notice_id)
    assert status == "accepted"
    assert [(a[1], a[2]) for a in answers] == [("rejected", "缺少复查照片"), ("accepted", None)]
    # Closed: no more answers or decisions, the pages say so instead of failing.
    assert school.get(f"/notices/{notice_id}/answer").status_code == 302
    assert reviewer.get(f"/notices/{notice_id}/decide").status_code == 302


def test_the_school_cannot_decide_and_the_issuer_cannot_answer(app, web, world, setup):
    notice_id = _notice(app, world, setup, answered=True)
    web.login("school11", world.password)
    assert web.post(f"/notices/{notice_id}/decide", {"decision": "accept"}).status_code == 403
    other = type(web)(app)
    other.login("staff", world.password)  # the bureau sees the notice but did not issue it
    assert other.get(f"/notices/{notice_id}").status_code == 200
    assert other.post(f"/notices/{notice_id}/decide", {"decision": "accept"}).status_code == 403
    assert other.get(f"/notices/{notice_id}/answer").status_code == 403


def test_the_printable_notice_has_the_official_layout(app, web, world, setup):
    notice_id = _notice(app, world, setup, issuer="ALPHA", user="staff")
    with app.app_context(), tenant_context(world.alpha.id):
        notice = db.session.get(Notice, notice_id)
        label, issued = notice.label, notice.issued_at
    web.login("school11", world.password)
    response = web.get(f"/notices/{notice_id}/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "隐患整改通知书" in page and label in page and re.match(r"〔\d{4}〕第1号", label)
    assert "城关镇第一小学：" in page
    for text in (
        "序号",
        "隐患部位",
        "隐患描述",
        "隐患等级",
        "整改期限",
        "灭火器压力不足",
        "疏散指示灯损坏",
        "二楼走廊",
        "一般隐患",
    ):
        assert text in page
    assert "甲县教育局" in page and f"{issued.year}年" in page
    assert "回　执" in page and 'id="notice-receipt"' in page
    assert "style=" not in page and "<script" not in page  # strict CSP: styles come from the stylesheet
    css = CSS.read_text()
    assert "@page { size: A4" in css and ".notice-sheet" in css


def test_the_list_filters_by_status_and_year_and_shows_only_what_the_user_may_see(app, web, world, setup):
    first = _notice(app, world, setup)
    _notice(app, world, setup, answered=True)
    with app.app_context(), tenant_context(world.alpha.id):
        year = db.session.get(Notice, first).year
        labels = [n.label for n in db.session.scalars(select(Notice).order_by(Notice.id))]
    web.login("school11", world.password)
    assert all(label in web.get("/notices/").get_data(as_text=True) for label in labels)
    answered = web.get("/notices/?status=answered").get_data(as_text=True)
    assert labels[1] in answered and labels[0] not in answered
    assert labels[0] not in web.get(f"/notices/?year={year - 1}").get_data(as_text=True)
    assert labels[0] in web.get(f"/notices/?year={year}&status=bogus&school_id=x").get_data(as_text=True)
    outsider = type(web)(app)
    outsider.login("reviewer2", world.password)
    assert labels[0] not in outsider.get("/notices/").get_data(as_text=True)
    assert outsider.get(f"/notices/{first}").status_code == 404
    keeper = type(web)(app)
    keeper.login("keeper11", world.password)  # notices go to the safety officer, not grid keepers
    assert labels[0] not in keeper.get("/notices/").get_data(as_text=True)
    assert keeper.get(f"/notices/{first}").status_code == 404


def test_the_issuer_keeps_seeing_its_notice_after_the_school_moves(app, web, world, setup):
    from tenancy.models import OrgUnit
    from tenancy.orgs.operations import move_org

    notice_id = _notice(app, world, setup)

    def move(alpha):
        move_org(alpha.unit("S11"), db.session.get(OrgUnit, world.alpha_orgs["C2"]))

    _in_alpha(app, world, move)
    web.login("reviewer1", world.password)
    assert web.get(f"/notices/{notice_id}").status_code == 200
    assert web.get(f"/notices/{notice_id}/print").status_code == 200
    other = type(web)(app)
    other.login("reviewer2", world.password)  # the school is now theirs: they see what it received
    assert other.get(f"/notices/{notice_id}").status_code == 200
    assert other.post(f"/notices/{notice_id}/decide", {"decision": "accept"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "notices", "escalations"),
    [
        ("school11", True, False),
        ("viewer", True, False),
        ("reviewer1", True, True),
        ("staff", True, True),
        ("keeper11", False, False),
    ],
)
def test_the_menu_links_notices_and_escalations_for_those_who_use_them(web, world, who, notices, escalations):
    web.login(who, world.password)
    page = web.get("/account").get_data(as_text=True)
    assert ('href="/notices/"' in page) is notices
    assert ('href="/review/escalations/"' in page) is escalations
