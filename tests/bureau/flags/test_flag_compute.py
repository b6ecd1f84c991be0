"""Each kind of flag is raised by the data and cleared by the real change that resolves it; history is kept."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from bureau.flags.compute import expected_flags
from bureau.flags.models import Flag
from bureau.flags.operations import refresh_all, refresh_unit
from bureau.notices.operations import answer_notice, decide, issue_notice
from schools.grid import operations as grid
from schools.grid.queries import coverage
from schools.hazards.lifecycle import RECEIVER, SCHOOL
from schools.hazards.operations import take_step, update_hazard
from schools.submissions.operations import review, submit_report
from tenancy.extensions import db
from tenancy.models import User, utcnow
from tenancy.settings.store import set_setting, tenant_today
from tests.bureau.flags.helpers import flags_of, months_ago, open_flags, overdue_hazard, unit


def _user(world, name: str) -> User:
    return db.session.get(User, world.alpha_users[name])


def test_an_overdue_hazard_is_flagged_until_it_is_rectified(alpha):
    hazard = overdue_hazard()
    school = unit("S11")
    changes = refresh_unit(school)
    assert changes.raised == 1 and open_flags("S11") == {("S11", "hazard_overdue", f"hazard:{hazard.id}")}
    [flag] = flags_of(f"hazard:{hazard.id}")
    assert (
        flag.details["description"] == "消防通道堵塞"
        and flag.details["deadline"] == hazard.deadline.isoformat()
    )

    take_step(hazard, "rectify", {SCHOOL}, on=tenant_today())
    changes = refresh_unit(school)
    assert (changes.raised, changes.cleared) == (0, 1)
    assert open_flags("S11") == set()
    assert flag.cleared_at is not None and flag.cleared_at >= flag.raised_at


def test_a_moved_deadline_clears_and_the_details_follow_the_hazard(alpha):
    hazard = overdue_hazard()
    refresh_unit(unit("S11"))
    update_hazard(hazard, {"description": "消防通道被杂物堵塞"})
    assert refresh_unit(unit("S11")).updated == 1
    assert flags_of(f"hazard:{hazard.id}")[0].details["description"] == "消防通道被杂物堵塞"
    update_hazard(hazard, {"deadline": tenant_today()})  # due today: not overdue yet
    assert refresh_unit(unit("S11")).cleared == 1


def test_a_major_hazard_is_flagged_until_verified(alpha):
    hazard = overdue_hazard(level="major", text="教学楼外墙瓷砖脱落", deadline=None)
    assert hazard.status == "escalated"  # a major hazard goes straight to the bureau
    refresh_unit(unit("S11"))
    assert open_flags("S11") == {("S11", "major_unverified", f"hazard:{hazard.id}")}
    take_step(hazard, "resolve", {RECEIVER}, note="区住建局协调维修", on=tenant_today())
    refresh_unit(unit("S11"))
    assert open_flags("S11") == {
        ("S11", "major_unverified", f"hazard:{hazard.id}")
    }  # rectified, not verified
    take_step(hazard, "verify", {SCHOOL}, note="复查合格", on=tenant_today())
    refresh_unit(unit("S11"))
    assert open_flags("S11") == set()


def test_a_blind_spot_is_flagged_until_an_owner_is_assigned(alpha):
    school = unit("S11")
    opened = tenant_today() - timedelta(days=30)
    cell = grid.create_cell(school, name="锅炉房", kind="room", opened_on=opened)
    covered = grid.create_cell(school, name="门卫室", kind="room", opened_on=opened)
    guard = grid.create_staff(school, name="李四")
    grid.assign_first_owner(covered, guard, opened)
    refresh_unit(school)
    assert open_flags("S11") == {("S11", "grid_blind_spot", f"cell:{cell.id}")}
    blind = {c.id for c in coverage(school, tenant_today()).blind_spots}
    assert blind == {cell.id}  # the same rule as the coverage page

    grid.assign_first_owner(cell, grid.create_staff(school, name="王五"), tenant_today())
    refresh_unit(school)
    assert open_flags("S11") == set()
    closed = grid.create_cell(school, name="旧车库", kind="outdoor", opened_on=opened)
    refresh_unit(school)
    assert open_flags("S11") == {("S11", "grid_blind_spot", f"cell:{closed.id}")}
    grid.close_cell(closed, tenant_today() - timedelta(days=1))
    refresh_unit(school)
    assert open_flags("S11") == set()


def test_a_notice_is_flagged_past_its_deadline_until_answered_and_again_when_rejected(alpha):
    world = alpha
    school = unit("S11")
    today = tenant_today()
    hazard = overdue_hazard(deadline=today + timedelta(days=10))  # listed on the notice, not overdue itself
    reviewer = _user(world, "reviewer1")
    notice = issue_notice(
        unit("C1"), school, [hazard.id], today, "关于消防通道整改的通知", "立即整改。", reviewer
    )
    refresh_unit(school)
    assert open_flags("S11") == set()  # due today: not yet unanswered past its deadline
    later = utcnow() + timedelta(days=2)
    refresh_unit(school, later)
    assert open_flags("S11") == {("S11", "notice_unanswered", f"notice:{notice.id}")}
    assert flags_of(f"notice:{notice.id}")[0].details["label"] == notice.label

    answer_notice(notice, "已清理通道。", [], _user(world, "school11"))
    refresh_unit(school, later)
    assert open_flags("S11") == set()
    decide(notice, False, "照片不清晰，请重新上报。", _user(world, "reviewer1"))
    refresh_unit(school, later)
    assert open_flags("S11") == {("S11", "notice_unanswered", f"notice:{notice.id}")}
    first, second = flags_of(f"notice:{notice.id}")
    assert first.cleared_at is not None and second.cleared_at is None and second.raised_at == later


def test_a_missing_report_is_flagged_until_submitted_and_again_when_returned(alpha):
    world = alpha
    school = unit("S11")
    period = months_ago(2)  # always past its due day (the due day is at most the 28th of the next month)
    school.created_at = datetime(period.year, period.month, 3, tzinfo=UTC)
    refresh_unit(school)
    subject = f"period:{period:%Y-%m}"
    assert ("S11", "report_overdue", subject) in open_flags("S11")
    assert all(
        s >= f"period:{period:%Y-%m}" for _u, _k, s in open_flags("S11", "report_overdue")
    )  # not before the school existed

    submission = submit_report(school, period, "按时整改。", _user(world, "school11"))
    assert submission.is_late  # a late report clears the flag: lateness shows on the report
    refresh_unit(school)
    assert ("S11", "report_overdue", subject) not in open_flags("S11")

    review(submission, "return", "请补充隐患照片。", _user(world, "reviewer1"))
    refresh_unit(school)
    assert ("S11", "report_overdue", subject) in open_flags("S11")
    assert flags_of(subject)[-1].details["returned"] is True

    submit_report(school, period, "已补充照片。", _user(world, "school11"))
    refresh_unit(school)
    assert ("S11", "report_overdue", subject) not in open_flags("S11")
    assert [flag.cleared_at is not None for flag in flags_of(subject)] == [True, True]


def _s11_created(year: int, month: int, day: int = 1) -> None:
    unit("S11").created_at = datetime(year, month, day, tzinfo=UTC)


def _reports_due(now: datetime) -> set[str]:
    expected = expected_flags([unit("S11")], now)[unit("S11").id]
    return {subject for kind, subject in expected if kind == "report_overdue"}


def test_report_due_time_is_23_59_59_of_the_due_day_in_the_tenant_time_zone(alpha):
    _s11_created(2026, 1, 10)
    # February's report is due on 5 March 23:59:59 in Shanghai = 15:59:59 UTC.
    assert _reports_due(datetime(2026, 3, 5, 15, 59, 59, tzinfo=UTC)) == {"period:2026-01"}
    assert _reports_due(datetime(2026, 3, 5, 16, 0, 0, tzinfo=UTC)) == {"period:2026-01", "period:2026-02"}
    set_setting("timezone", "Asia/Urumqi")  # UTC+6: due at 17:59:59 UTC
    assert _reports_due(datetime(2026, 3, 5, 16, 0, 0, tzinfo=UTC)) == {"period:2026-01"}
    assert _reports_due(datetime(2026, 3, 5, 18, 0, 0, tzinfo=UTC)) == {"period:2026-01", "period:2026-02"}


def test_a_due_day_past_the_month_end_is_the_last_day_and_the_window_is_twelve_months(alpha):
    set_setting("report_due_day", 30)
    _s11_created(2026, 1, 10)
    # January's report is due on 28 February (30 February does not exist), 23:59:59 Shanghai.
    assert _reports_due(datetime(2026, 2, 28, 15, 59, 59, tzinfo=UTC)) == set()
    assert _reports_due(datetime(2026, 2, 28, 16, 0, 0, tzinfo=UTC)) == {"period:2026-01"}
    set_setting("report_due_day", 5)
    _s11_created(2020, 1, 1)
    due = _reports_due(datetime(2026, 3, 6, tzinfo=UTC))
    assert due == {
        f"period:{m}"
        for m in [
            "2025-03",
            "2025-04",
            "2025-05",
            "2025-06",
            "2025-07",
            "2025-08",
            "2025-09",
            "2025-10",
            "2025-11",
            "2025-12",
            "2026-01",
            "2026-02",
        ]
    }


def test_units_that_do_not_report_or_are_closed_have_no_report_flags(alpha):
    for code in ("D1-G1", "C1", "ALPHA"):
        unit(code).created_at = datetime(2025, 1, 1, tzinfo=UTC)
    now = datetime(2026, 3, 6, tzinfo=UTC)
    expected = expected_flags([unit("D1-G1"), unit("C1"), unit("ALPHA")], now)
    assert expected == {unit("D1-G1").id: {}, unit("C1").id: {}, unit("ALPHA").id: {}}
    hazard = overdue_hazard("D1-G1")  # a grade group keeps its own ledger: its hazards are flagged
    refresh_unit(unit("D1-G1"))
    assert open_flags("D1-G1") == {("D1-G1", "hazard_overdue", f"hazard:{hazard.id}")}
    unit("D1-G1").is_active = False  # a closed unit keeps its history but raises nothing
    refresh_unit(unit("D1-G1"))
    assert open_flags("D1-G1") == set() and flags_of(f"hazard:{hazard.id}")[0].cleared_at is not None


def test_refreshing_twice_changes_nothing_and_a_recurrence_is_a_new_flag(alpha):
    hazard = overdue_hazard()
    overdue_hazard("S21", text="围墙裂缝")
    first = refresh_all()
    assert first.raised == 2
    rows = [(f.id, f.raised_at, f.cleared_at, f.details) for f in db.session.scalars(select(Flag))]
    again = refresh_all()
    assert not again.changed
    assert rows == [(f.id, f.raised_at, f.cleared_at, f.details) for f in db.session.scalars(select(Flag))]

    take_step(hazard, "rectify", {SCHOOL}, on=tenant_today())
    refresh_all()
    take_step(hazard, "reject", {SCHOOL}, note="复查不合格")  # back to rectifying: overdue again
    refresh_all()
    history = flags_of(f"hazard:{hazard.id}")
    assert len(history) == 2
    assert history[0].cleared_at is not None and history[1].cleared_at is None
    assert history[1].raised_at >= history[0].cleared_at


def test_flags_of_other_kinds_and_duplicates(alpha):
    hazard = overdue_hazard()
    school = unit("S11")
    other = Flag(org_unit_id=school.id, kind="retired_kind", subject="semester:2026-1", details={})
    twin = Flag(org_unit_id=school.id, kind="hazard_overdue", subject=f"hazard:{hazard.id}", details={})
    db.session.add_all([other, twin])
    db.session.flush()
    changes = refresh_unit(school)
    # A kind no rule computes (e.g. one retired since) is left alone. The one hazard flag stays open, no duplicate.
    assert other.cleared_at is None and twin.cleared_at is None
    assert changes.raised == 0 and changes.updated == 1
    db.session.add(
        Flag(org_unit_id=school.id, kind="hazard_overdue", subject=f"hazard:{hazard.id}", details={})
    )
    db.session.flush()
    assert refresh_unit(school).cleared == 1
    assert len(open_flags("S11", "hazard_overdue")) == 1


def _selects_of_refresh_all() -> list[str]:
    selects = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        refresh_all()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return selects


def test_a_refresh_reads_set_based(alpha):
    for code in ("S11", "S12", "S21"):
        overdue_hazard(code)
    few = _selects_of_refresh_all()
    for code in ("S11", "S12", "S21", "D1", "D1-G1"):
        for number in range(12):
            overdue_hazard(code, text=f"隐患{number}", level="major" if number % 3 == 0 else "general")
    many = _selects_of_refresh_all()
    assert len(open_flags()) == 3 + 60 + 20
    # units (locked), submissions, hazards, cells, notices, drills, incidents, duty days, zero-report
    # windows, open flags: the same few queries however many (a setting is read once, then cached)
    few, many = ([q for q in queries if "FROM tenant_settings" not in q] for queries in (few, many))
    assert len(many) == len(few) <= 10, many
