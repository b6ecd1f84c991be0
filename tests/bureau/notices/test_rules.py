"""Who may issue to whom, what a notice may list, answering with evidence, and the decision flow."""

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bureau.notices.models import Notice, NoticeAnswer, NoticeAttachment
from bureau.notices.operations import (
    NoticeConflict,
    NoticeError,
    answer_notice,
    attachment_path,
    decide,
    issue_notice,
    notice_folder,
)
from schools.hazards.models import HazardEvent
from tenancy.extensions import db
from tenancy.jobs import JOBS
from tenancy.models import AuditEvent, OutboxItem
from tests.bureau.notices.conftest import FAKE_PHOTO, JPEG, PDF, PNG


def _issue(alpha, issuer="C1", school="S11", user="reviewer1", **changes):
    hazard = alpha.hazard(school)
    args = {
        "hazard_ids": [hazard.id],
        "deadline": alpha.deadline(),
        "title": "消防隐患整改通知",
        "body": "请于期限内整改并回复。",
    } | changes
    return issue_notice(alpha.unit(issuer), alpha.unit(school), user=alpha.user(user), **args)


@pytest.mark.parametrize(
    ("user", "issuer", "school", "allowed"),
    [
        ("reviewer1", "C1", "S11", True),
        ("reviewer1", "C1", "S12", True),
        ("reviewer1", "C1", "S21", False),  # another central school's school
        ("reviewer1", "C1", "D1", False),  # a directly-run school belongs to the bureau
        ("reviewer1", "ALPHA", "S11", False),  # a central reviewer cannot speak for the bureau
        ("reviewer2", "C2", "S21", True),
        ("staff", "ALPHA", "S11", True),
        ("staff", "ALPHA", "S21", True),
        ("staff", "ALPHA", "D1", True),
        ("staff", "ALPHA", "D1-G1", True),
        ("staff", "C1", "S11", False),  # the bureau issues in its own name, not a central school's
        ("admin", "ALPHA", "S12", True),
        ("school11", "S11", "S11", False),  # a school issues to nobody
        ("viewer", "ALPHA", "S11", False),
        ("keeper11", "S11", "S11", False),
    ],
)
def test_who_may_issue_to_whom(alpha, user, issuer, school, allowed):
    if allowed:
        notice = _issue(alpha, issuer=issuer, school=school, user=user)
        assert notice.status == "issued" and notice.org_unit_id == alpha.unit(school).id
    else:
        with pytest.raises(PermissionError):
            _issue(alpha, issuer=issuer, school=school, user=user)
        assert db.session.scalar(select(func.count(Notice.id))) == 0


def test_a_central_school_cannot_be_the_addressee(alpha):
    with pytest.raises(PermissionError):
        issue_notice(
            alpha.unit("ALPHA"), alpha.unit("C1"), [], alpha.deadline(), "t", "b", alpha.user("staff")
        )


def test_hazards_of_another_school_are_refused(alpha):
    other = alpha.hazard("S12", "幼儿园滑梯破损")
    mine = alpha.hazard("S11")
    with pytest.raises(NoticeError) as caught:
        _issue(alpha, hazard_ids=[mine.id, other.id])
    assert caught.value.field == "hazard_ids" and str(other.id) in str(caught.value)
    assert db.session.scalar(select(func.count(Notice.id))) == 0


@pytest.mark.parametrize("hazard_ids", [[], ["abc"], [999999]], ids=["none", "junk", "missing"])
def test_the_hazard_list_must_name_hazards_of_the_school(alpha, hazard_ids):
    with pytest.raises(NoticeError) as caught:
        _issue(alpha, hazard_ids=hazard_ids)
    assert caught.value.field == "hazard_ids"


def test_a_verified_hazard_cannot_be_listed(alpha):
    hazard = alpha.hazard("S11")
    hazard.status = "verified"
    with pytest.raises(NoticeError) as caught:
        _issue(alpha, hazard_ids=[hazard.id])
    assert caught.value.field == "hazard_ids"


def test_duplicate_hazards_are_listed_once(alpha):
    hazard = alpha.hazard("S11")
    notice = _issue(alpha, hazard_ids=[hazard.id, hazard.id, str(hazard.id)])
    db.session.expire(notice, ["hazards"])
    assert [h.id for h in notice.hazards] == [hazard.id]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": None}, "deadline"),
        ({"title": "  "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
    ],
    ids=["no-deadline", "no-title", "long-title", "no-body", "long-body"],
)
def test_bad_values_are_refused_naming_the_field(alpha, changes, field):
    with pytest.raises(NoticeError) as caught:
        _issue(alpha, **changes)
    assert caught.value.field == field


def test_a_deadline_in_the_past_is_refused_but_today_is_fine(alpha):
    with pytest.raises(NoticeError) as caught:
        _issue(alpha, deadline=alpha.deadline(-1))
    assert caught.value.field == "deadline"
    assert _issue(alpha, deadline=alpha.deadline(0)).deadline == alpha.deadline(0)


def test_issuing_is_audited_noted_on_the_hazards_and_refreshes_flags(alpha):
    notice = _issue(alpha)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "notice.issue"))
    assert event.object_id == str(notice.id) and "〔" in event.summary
    assert event.changes["hazard_ids"]["after"] == [h.id for h in notice.hazards]
    note = db.session.scalar(select(HazardEvent).where(HazardEvent.action == "notice"))
    assert note.hazard_id == notice.hazards[0].id and notice.label in note.note
    if "flags.refresh_unit" in JOBS:
        item = db.session.scalar(select(OutboxItem).where(OutboxItem.job == "flags.refresh_unit"))
        assert item.key == f"flags:{notice.org_unit_id}" and item.args == {"org_unit_id": notice.org_unit_id}


def test_the_school_answers_with_photos_and_pdfs_stored_by_content(alpha):
    notice = _issue(alpha)
    answer = answer_notice(
        notice,
        "已更换灭火器",
        [("现场.jpg", JPEG), ("整改报告.pdf", PDF), ("../../etc/x.png", PNG)],
        alpha.user("school11"),
    )
    assert notice.status == "answered" and answer.measures == "已更换灭火器"
    kinds = [(item.original_name, item.content_type) for item in answer.attachments]
    assert kinds == [("现场.jpg", "image/jpeg"), ("整改报告.pdf", "application/pdf"), ("x.png", "image/png")]
    for item, data in zip(answer.attachments, (JPEG, PDF, PNG), strict=True):
        path = attachment_path(item)
        assert path.read_bytes() == data
        assert path.parent == notice_folder(notice.tenant_id)
        assert path.parent.parts[-3:] == ("uploads", "notices", str(notice.tenant_id))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "notice.answer")) is not None


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ([("photo.jpg", FAKE_PHOTO)], "photo.jpg"),
        ([("ok.png", PNG), ("renamed.pdf", b"<html>not a pdf</html>")], "renamed.pdf"),
        ([("empty.png", b"")], "empty.png"),
        ([(f"p{i}.png", PNG) for i in range(11)], "10"),
    ],
    ids=["fake-photo", "one-bad-of-two", "empty", "too-many"],
)
def test_bad_files_refuse_the_whole_answer(alpha, files, named):
    notice = _issue(alpha)
    before = set(notice_folder(notice.tenant_id).iterdir())
    with pytest.raises(NoticeError) as caught:
        answer_notice(notice, "已整改", files, alpha.user("school11"))
    assert caught.value.field == "files" and named in str(caught.value)
    db.session.rollback()
    assert db.session.scalar(select(func.count(NoticeAnswer.id))) == 0
    assert db.session.scalar(select(func.count(NoticeAttachment.id))) == 0
    assert set(Path(notice_folder(notice.tenant_id)).iterdir()) == before


def test_only_the_schools_safety_officer_answers(alpha):
    notice = _issue(alpha)
    for name in ("reviewer1", "staff", "keeper11", "viewer"):
        with pytest.raises(PermissionError):
            answer_notice(notice, "已整改", [], alpha.user(name))
    with pytest.raises(NoticeError) as caught:
        answer_notice(notice, "  ", [], alpha.user("school11"))
    assert caught.value.field == "measures"


def test_reject_needs_a_comment_then_the_school_answers_again_and_the_issuer_accepts(alpha):
    notice = _issue(alpha)
    school, reviewer = alpha.user("school11"), alpha.user("reviewer1")
    with pytest.raises(NoticeError):
        decide(notice, True, "", reviewer)  # nothing to decide on yet
    answer_notice(notice, "已更换", [("a.png", PNG)], school)
    with pytest.raises(NoticeError) as caught:
        decide(notice, False, "   ", reviewer)
    assert caught.value.field == "comment" and notice.status == "answered"
    decide(notice, False, "照片看不清压力表", reviewer)
    assert notice.status == "rejected" and notice.answers[0].decision == "rejected"
    assert notice.answers[0].decision_comment == "照片看不清压力表"
    with pytest.raises(NoticeError):
        decide(notice, True, "", reviewer)  # rejected: the school answers first
    answer_notice(notice, "已更换并复查", [("b.jpg", JPEG)], school)
    assert notice.status == "answered"
    decide(notice, True, "", reviewer)
    assert notice.status == "accepted"
    assert [a.decision for a in notice.answers] == ["rejected", "accepted"]
    with pytest.raises(NoticeError) as caught:
        answer_notice(notice, "再次回复", [], school)
    assert caught.value.field == "status"
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("notice.%")).order_by(AuditEvent.id)
    ).all()
    assert actions == ["notice.issue", "notice.answer", "notice.reject", "notice.answer", "notice.accept"]


@pytest.mark.parametrize("name", ["staff", "admin", "reviewer2", "school11", "viewer"])
def test_only_the_issuing_level_decides(alpha, name):
    notice = _issue(alpha)  # issued by C1
    answer_notice(notice, "已整改", [], alpha.user("school11"))
    with pytest.raises(PermissionError):
        decide(notice, True, "", alpha.user(name))


def test_the_bureau_decides_on_its_own_notices(alpha):
    notice = _issue(alpha, issuer="ALPHA", user="staff")
    answer_notice(notice, "已整改", [], alpha.user("school11"))
    decide(notice, True, "", alpha.user("admin"))
    assert notice.status == "accepted"


def test_a_decision_that_lost_the_race_is_a_conflict(alpha):
    notice = _issue(alpha)
    answer_notice(notice, "已整改", [], alpha.user("school11"))
    db.session.flush()
    # Another reviewer's decision lands first (behind this session's back).
    db.session.execute(
        update(Notice)
        .where(Notice.id == notice.id)
        .values(status="accepted")
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(NoticeConflict):
        decide(notice, False, "不合格", alpha.user("reviewer1"))
    assert notice.status == "accepted" and notice.answers[0].decision is None
