"""Coverage (无盲区): blind spots and staff without a cell on a date; a keeper's cells."""

from datetime import date, timedelta

from schools.grid import operations
from schools.grid.queries import cells_of_keeper, coverage, coverage_by_school, coverage_counts, owners_on
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.settings.store import tenant_today
from tests.schools.grid.helpers import make_cell

D = date.fromisoformat


def _names(items) -> list[str]:
    return sorted(item.name for item in items)


def test_blind_spots_and_staff_without_a_cell_on_a_date(s11, people):
    building = make_cell(s11)
    canteen = make_cell(s11, name="食堂", kind="outdoor", is_key_area=True, key_area_kind="canteen")
    make_cell(s11, name="操场", kind="outdoor")
    operations.assign_first_owner(building, people.zhang, D("2024-09-01"))
    operations.assign_first_owner(canteen, people.wang, D("2024-10-01"))
    operations.add_deputy(building, people.li, D("2024-09-01"), D("2024-09-15"))
    db.session.commit()

    early = coverage(s11, D("2024-09-10"))
    assert _names(early.blind_spots) == ["操场", "食堂"]  # 食堂 before its first owner
    assert _names(early.idle_staff) == ["王五"]  # 李四 is a deputy that day
    assert early.counts == {
        "cells": 3,
        "covered": 1,
        "blind_spots": 2,
        "key_area_blind_spots": 1,
        "staff": 3,
        "staff_without_cell": 1,
    }

    later = coverage(s11, D("2024-10-01"))
    assert _names(later.blind_spots) == ["操场"]
    assert _names(later.idle_staff) == ["李四"]  # the deputy period ended on 09-15


def test_a_deputy_does_not_cover_a_cell(s11, people):
    cell = make_cell(s11)
    operations.add_deputy(cell, people.li, D("2024-09-01"))
    assert _names(coverage(s11, D("2024-09-02")).blind_spots) == ["教学楼"]


def test_closed_cells_and_cells_not_yet_open_are_not_blind_spots(s11, people):
    old = make_cell(s11, name="旧平房", opened_on=D("2024-09-01"))
    make_cell(s11, name="新楼", opened_on=D("2025-03-01"))
    operations.assign_first_owner(old, people.zhang, D("2024-09-01"))
    operations.close_cell(old, D("2024-12-31"))
    db.session.commit()
    assert _names(coverage(s11, D("2024-12-31")).cells) == ["旧平房"]
    assert coverage(s11, D("2024-12-31")).blind_spots == []
    after = coverage(s11, D("2025-01-05"))
    assert after.cells == [] and after.blind_spots == []
    assert _names(after.idle_staff) == ["张三", "李四", "王五"]
    assert _names(coverage(s11, D("2025-03-01")).blind_spots) == ["新楼"]


def test_staff_who_left_are_not_counted(s11, people):
    operations.update_staff(people.wang, name="王五", phone="", position="", user=None, is_active=False)
    db.session.commit()
    assert _names(coverage(s11, tenant_today()).idle_staff) == ["张三", "李四"]


def test_coverage_by_school_keeps_schools_apart(s11, people, world):
    make_cell(s11)
    s21 = db.session.get(OrgUnit, world.alpha_orgs["S21"])
    make_cell(s21, name="校门", kind="outdoor")
    db.session.commit()
    found = coverage_by_school(tenant_today())
    assert _names(found[s11.id].blind_spots) == ["教学楼"]
    assert _names(found[s21.id].blind_spots) == ["校门"]
    assert _names(found[s21.id].idle_staff) == ["赵六"]


def test_owners_on_a_school_and_cells_of_a_keeper(s11, people, world):
    mine = make_cell(s11, name="一年级一班", kind="class")
    deputy_of = make_cell(s11, name="图书室", kind="room")
    other = make_cell(s11, name="二年级一班", kind="class")
    operations.assign_first_owner(mine, people.zhang, D("2024-09-01"))
    operations.assign_first_owner(deputy_of, people.li, D("2024-09-01"))
    operations.add_deputy(deputy_of, people.zhang, D("2024-09-01"))
    operations.assign_first_owner(other, people.li, D("2024-09-01"))
    operations.hand_over(other, people.zhang, tenant_today() + timedelta(days=5))  # 张三 only later
    db.session.commit()
    by_cell = owners_on(s11, tenant_today())
    assert [p.staff.name for p in by_cell[deputy_of.id]] == ["李四", "张三"]
    keeper = db.session.get(User, world.alpha_users["keeper11"])
    assert _names(cells_of_keeper(keeper)) == ["一年级一班", "图书室"]
    assert _names(cells_of_keeper(keeper, tenant_today() + timedelta(days=6))) == [
        "一年级一班",
        "二年级一班",
        "图书室",
    ]
    school11 = db.session.get(User, world.alpha_users["school11"])
    assert cells_of_keeper(school11) == []


def test_coverage_counts_agree_with_coverage_on_every_day(s11, people, world):
    """The assessment counts cells and owners in SQL; the counts must be those of coverage()."""
    building = make_cell(s11)
    canteen = make_cell(s11, name="食堂", kind="outdoor")
    old = make_cell(s11, name="旧平房", opened_on=D("2024-09-01"))
    make_cell(s11, name="新楼", opened_on=D("2025-03-01"))
    operations.assign_first_owner(building, people.zhang, D("2024-09-01"))
    operations.assign_first_owner(canteen, people.wang, D("2024-10-01"))
    operations.add_deputy(building, people.li, D("2024-09-01"))
    operations.assign_first_owner(old, people.li, D("2024-09-01"))
    operations.close_cell(old, D("2024-12-31"))
    s21 = db.session.get(OrgUnit, world.alpha_orgs["S21"])
    make_cell(s21, name="校门", kind="outdoor")
    db.session.commit()
    for day in ("2024-08-31", "2024-09-10", "2024-10-01", "2024-12-31", "2025-01-05", "2025-03-01"):
        counted = coverage_counts(D(day), [s11.id, s21.id])
        for school in (s11, s21):
            expected = coverage(school, D(day)).counts
            assert counted.get(school.id, (0, 0)) == (expected["cells"], expected["covered"]), (
                day,
                school.code,
            )
    assert coverage_counts(D("2024-09-10"), [s11.id])[s11.id] == (3, 2)
