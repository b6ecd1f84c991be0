"""The daily digest: one per user per day, only what is new in their scope; the inbox pages."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bureau.flags.inbox import send_daily_digests
from bureau.flags.models import InboxMessage
from bureau.flags.operations import refresh_all
from bureau.notices.operations import answer_notice, issue_notice
from schools.submissions.operations import review, submit_report
from tenancy.extensions import db
from tenancy.models import User, utcnow
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_timezone, tenant_today
from tests.bureau.flags.helpers import months_ago, overdue_hazard, unit
from tests.fixtures.app import WebClient


def _user(world, name: str) -> User:
    return db.session.get(User, world.alpha_users[name])


def _digests(world, day: str | None = None) -> dict[str, list[dict]]:
    """Return username → items of the digests (of one local day)."""
    query = select(User.username, InboxMessage.items).join(User, User.id == InboxMessage.user_id)
    if day:
        query = query.where(InboxMessage.day == day)
    return {username: items for username, items in db.session.execute(query)}


def test_one_digest_per_user_per_day_and_only_when_something_is_new(alpha):
    world = alpha
    start = utcnow()
    hazard = overdue_hazard("S11", text="灭火器过期")
    refresh_all(start)
    first = start + timedelta(hours=1)
    day = first.astimezone(tenant_timezone()).date().isoformat()
    assert send_daily_digests(first) == 5
    digests = _digests(world, day)
    # Everyone whose area holds S11; keeper11 sees only their own cells' hazards, reviewer2 another area.
    assert set(digests) == {"admin", "staff", "reviewer1", "school11", "viewer"}
    [item] = digests["school11"]
    assert item["type"] == "flags" and item["counts"] == {"hazard_overdue": 1}
    assert (
        item["examples"][0]["subject"] == f"hazard:{hazard.id}"
        and item["examples"][0]["unit"] == "城关镇第一小学"
    )

    assert send_daily_digests(first + timedelta(minutes=5)) == 0  # the same day: nothing more
    next_day = first + timedelta(days=1)
    assert send_daily_digests(next_day) == 0  # nothing new since yesterday's digest

    overdue_hazard("S21", text="围墙裂缝")
    refresh_all(next_day + timedelta(hours=1))
    _user(world, "viewer").is_enabled = False
    third = first + timedelta(days=2)
    assert send_daily_digests(third) == 3
    day3 = third.astimezone(tenant_timezone()).date().isoformat()
    assert set(_digests(world, day3)) == {"admin", "staff", "reviewer2"}
    assert db.session.scalar(select(InboxMessage).where(InboxMessage.day == day3)).items[0]["counts"] == {
        "hazard_overdue": 1
    }


def test_returned_reports_notices_and_answers_reach_the_right_people(alpha):
    world = alpha
    start = utcnow()
    school = unit("S11")
    period = months_ago(2)
    school.created_at = datetime(period.year, period.month, 1, tzinfo=UTC)
    report = submit_report(school, period, "本月无重大隐患。", _user(world, "school11"))
    review(report, "return", "请补充整改照片。", _user(world, "reviewer1"))
    hazard = overdue_hazard("S11", deadline=tenant_today() + timedelta(days=20))
    notice = issue_notice(
        unit("C1"),
        school,
        [hazard.id],
        tenant_today() + timedelta(days=7),
        "整改通知",
        "限期整改。",
        _user(world, "reviewer1"),
    )
    assert send_daily_digests(start + timedelta(minutes=1)) == 1
    items = {item["type"]: item for item in _digests(world)["school11"]}
    assert set(items) == {"reports_returned", "notices_received"}
    [returned] = items["reports_returned"]["reports"]
    assert returned["period"] == f"{period:%Y-%m}" and returned["comment"] == "请补充整改照片。"
    assert items["notices_received"]["notices"][0]["label"] == notice.label

    answer_notice(notice, "已整改完毕。", [], _user(world, "school11"))
    assert send_daily_digests(start + timedelta(days=1)) == 1
    [item] = _digests(world, (start + timedelta(days=1)).astimezone(tenant_timezone()).date().isoformat())[
        "reviewer1"
    ]
    assert item["type"] == "answers_awaiting" and item["notices"][0]["notice_id"] == notice.id


def _digest_for_school11(app, world) -> int:
    with app.app_context(), tenant_context(world.alpha.id):
        overdue_hazard("S11", text="灭火器过期")
        refresh_all()
        send_daily_digests(utcnow() + timedelta(minutes=1))
        db.session.commit()
        return db.session.scalar(
            select(InboxMessage.id).where(InboxMessage.user_id == world.alpha_users["school11"])
        )


def _unread_in_nav(page: str) -> str:
    return re.search(r'id="nav-inbox">([^<]*)<', page).group(1)


def test_the_inbox_lists_digests_and_marks_them_read(app, web, world):
    message_id = _digest_for_school11(app, world)
    web.login("school11", world.password)
    assert _unread_in_nav(web.get("/inbox/").get_data(as_text=True)).endswith("(1)")
    page = web.get("/inbox/").get_data(as_text=True)
    assert "灭火器过期" in page and f'id="message-{message_id}"' in page
    assert web.post(f"/inbox/{message_id}/read").status_code == 302
    assert "(" not in _unread_in_nav(web.get("/inbox/").get_data(as_text=True))

    other = WebClient(app)
    other.login("reviewer1", world.password)
    assert other.post(f"/inbox/{message_id}/read").status_code == 404  # someone else's digest
    assert other.post("/inbox/read").status_code == 302
    with app.app_context(), tenant_context(world.alpha.id):
        unread = db.session.scalars(
            select(User.username)
            .join(InboxMessage, InboxMessage.user_id == User.id)
            .where(InboxMessage.read_at.is_(None))
        ).all()
        assert sorted(unread) == ["admin", "staff", "viewer"]  # school11 and reviewer1 read theirs
