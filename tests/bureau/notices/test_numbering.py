"""Notice numbers: 〔year〕第N号, per tenant and year, gap-free, distinct under concurrency."""

import threading
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bureau.notices import operations
from bureau.notices.models import Notice
from bureau.notices.operations import issue_notice
from schools.hazards.operations import HazardInput, report_hazard
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import tenant_context


def _at(monkeypatch, when: datetime) -> None:
    """Pretend the notice is issued at `when` (UTC)."""
    monkeypatch.setattr(operations, "utcnow", lambda: when)


def _issue(alpha, deadline: date, issuer: str = "ALPHA", school: str = "S11", user: str = "staff") -> Notice:
    hazard = alpha.hazard(school)
    return issue_notice(
        alpha.unit(issuer),
        alpha.unit(school),
        [hazard.id],
        deadline,
        "整改通知",
        "请整改。",
        alpha.user(user),
    )


def test_numbers_count_up_per_year_and_show_as_the_official_label(alpha, monkeypatch):
    _at(monkeypatch, datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    first = _issue(alpha, date(2026, 3, 20))
    second = _issue(alpha, date(2026, 3, 20), issuer="C1", user="reviewer1")
    third = _issue(alpha, date(2026, 3, 20), school="S21")
    assert [n.number for n in (first, second, third)] == [1, 2, 3]
    assert third.label == "〔2026〕第3号" and first.year == 2026


def test_numbers_restart_each_year_in_the_tenants_time_zone(alpha, monkeypatch):
    _at(monkeypatch, datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    _issue(alpha, date(2026, 6, 20))
    _issue(alpha, date(2026, 6, 20))
    # 17:30 UTC on 31 December is already 1 January in Beijing: the new year's first notice.
    _at(monkeypatch, datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    new_year = _issue(alpha, date(2027, 1, 10))
    assert (new_year.year, new_year.number, new_year.label) == (2027, 1, "〔2027〕第1号")
    _at(monkeypatch, datetime(2027, 2, 1, 2, 0, tzinfo=UTC))
    assert _issue(alpha, date(2027, 2, 10)).label == "〔2027〕第2号"


def test_each_tenant_numbers_its_own_notices(app, world, alpha, monkeypatch):
    _at(monkeypatch, datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    _issue(alpha, date(2026, 3, 20))
    _issue(alpha, date(2026, 3, 20))
    db.session.commit()
    with tenant_context(world.beta.id):
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "BS1"))
        bureau = db.session.get(OrgUnit, world.beta.bureau_id)
        hazard = report_hazard(
            school,
            HazardInput(found_on=date(2026, 2, 1), location="食堂", category="food", description="留样不足"),
        )
        beta = issue_notice(
            bureau,
            school,
            [hazard.id],
            date(2026, 3, 20),
            "整改通知",
            "请整改。",
            db.session.get(User, world.beta_users["betaadmin"]),
        )
        assert beta.label == "〔2026〕第1号"
        db.session.commit()
    assert _issue(alpha, date(2026, 3, 20)).number == 3


def test_a_rolled_back_issue_gives_its_number_back(alpha):
    _issue(alpha, alpha.deadline())
    db.session.commit()
    _issue(alpha, alpha.deadline())
    db.session.rollback()
    assert _issue(alpha, alpha.deadline()).number == 2


@pytest.mark.parametrize(
    "issuers", [("staff", "staff"), ("staff", "reviewer1")], ids=["same-level", "two-levels"]
)
def test_two_concurrent_issues_get_distinct_numbers(app, world, monkeypatch, issuers):
    with app.app_context(), tenant_context(world.alpha.id):
        s11 = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
        hazard_ids = [
            report_hazard(
                s11,
                HazardInput(
                    found_on=date(2026, 1, 5), location="操场", category="building", description=text
                ),
            ).id
            for text in ("看台栏杆松动", "围墙裂缝")
        ]
        db.session.commit()
    # Hold each transaction open a moment after it has its number: without the lock both would
    # read the same highest number and the second commit would collide.
    real_next_number = operations.next_number

    def slow_next_number(tenant_id, year):
        number = real_next_number(tenant_id, year)
        time.sleep(0.3)
        return number

    monkeypatch.setattr(operations, "next_number", slow_next_number)
    start = threading.Barrier(2)
    numbers, errors = [], []

    def issue(username: str, hazard_id: int) -> None:
        try:
            with app.app_context(), tenant_context(world.alpha.id):
                user = db.session.get(User, world.alpha_users[username])
                issuer = next(g.org_unit for g in user.grants)
                school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S11"))
                deadline = date.today().replace(year=date.today().year + 1)
                start.wait(timeout=10)
                notice = issue_notice(issuer, school, [hazard_id], deadline, "整改通知", "请整改。", user)
                db.session.commit()
                numbers.append(notice.number)
        except Exception as error:  # reported below, so a failure names its cause
            errors.append(repr(error))

    threads = [
        threading.Thread(target=issue, args=(name, hid))
        for name, hid in zip(issuers, hazard_ids, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(numbers) == [1, 2]
