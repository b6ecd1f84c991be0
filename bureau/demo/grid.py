"""A campus grid for every school of the demo district: cells, staff, owners and handovers.

Each school gets buildings with floors, outdoor areas, key areas and time-axis cells;
staff own them from the start of the school year, some cells changed hands since, and a
few schools still have a blind spot (监管盲区), as real districts do. The demo grid keeper
of 城关镇第一小学 owns real cells there, and the hazards of those places are linked to them.
"""

import random
from datetime import time, timedelta

from sqlalchemy import func, select, update

from bureau.demo.district import person_name, phone_number
from schools.grid import operations as grid_operations
from schools.grid.models import GridCell
from schools.grid.operations import add_deputy, assign_first_owner, create_staff, hand_over
from schools.hazards.models import Hazard
from schools.units import keeps_records
from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.settings.store import tenant_today

POSITIONS = (
    "班主任",
    "任课教师",
    "总务主任",
    "安全办主任",
    "保安",
    "食堂管理员",
    "宿管员",
    "电工",
    "校医",
    "德育主任",
)
KEEPER_USERNAME, KEEPER_SCHOOL = "cgyx_keeper", "CG-YX"

# (name, kind, key area or None, children)
BUILDINGS = (
    ("教学楼", "building", None, ("一楼", "二楼", "三楼")),
    ("综合楼", "building", None, ("一楼", "二楼")),
)
OUTDOOR = (("学校大门", None), ("操场", None), ("围墙周边", None), ("车棚", None))
KEY_AREAS = (("学生食堂", "canteen"), ("配电房", "power_room"), ("科学实验室", "lab"))
TIME_CELLS = (
    ("早晨入校", time(7, 0), time(8, 0)),
    ("课间活动", time(9, 40), time(10, 10)),
    ("午餐午休", time(11, 40), time(14, 0)),
    ("放学离校", time(16, 30), time(18, 0)),
)


def _cells_for(school: OrgUnit, rng: random.Random, opened_on) -> list[GridCell]:
    cells: list[GridCell] = []

    def create_cell(school, **fields):  # keep the order the cells are listed in, as a school would
        return grid_operations.create_cell(school, sort_order=len(cells) + 1, **fields)

    small = school.kind in ("teaching_point", "grade_group")
    for name, kind, _key, floors in BUILDINGS[: 1 if small else 2]:
        building = create_cell(school, name=name, kind=kind, opened_on=opened_on)
        cells.append(building)
        for floor in floors[: 1 if small else len(floors)]:
            cells.append(
                create_cell(school, name=f"{name}{floor}", kind="floor", parent=building, opened_on=opened_on)
            )
    for name, _key in OUTDOOR[: 2 if small else len(OUTDOOR)]:
        cells.append(create_cell(school, name=name, kind="outdoor", opened_on=opened_on))
    for name, key in KEY_AREAS[: 0 if small else (3 if school.kind != "kindergarten" else 2)]:
        cells.append(
            create_cell(
                school, name=name, kind="room", is_key_area=True, key_area_kind=key, opened_on=opened_on
            )
        )
    if school.kind in ("senior_high", "vocational", "twelve_year") or rng.random() < 0.2:
        cells.append(
            create_cell(
                school,
                name="学生宿舍",
                kind="room",
                is_key_area=True,
                key_area_kind="dormitory",
                opened_on=opened_on,
            )
        )
    for name, starts, ends in TIME_CELLS[: 2 if small else len(TIME_CELLS)]:
        cells.append(
            create_cell(school, name=name, kind="time", starts_at=starts, ends_at=ends, opened_on=opened_on)
        )
    return cells


def load_demo_grid() -> int:
    """Give every school its grid (skipped when the demo already has cells); return the cell count."""
    if db.session.scalar(select(func.count()).select_from(GridCell)):
        return 0
    today = tenant_today()
    opened_on = today - timedelta(days=300)
    keeper = db.session.scalar(select(User).where(User.username == KEEPER_USERNAME))
    total = 0
    for school in db.session.scalars(select(OrgUnit).order_by(OrgUnit.id)).all():
        if not keeps_records(school):
            continue
        rng = random.Random(f"demo-grid-{school.code}")
        staff = [
            create_staff(
                school, name=person_name(rng), phone=phone_number(rng), position=rng.choice(POSITIONS)
            )
            for _person in range(4 if school.kind in ("teaching_point", "grade_group") else 9)
        ]
        if school.code == KEEPER_SCHOOL and keeper is not None:
            staff.insert(
                0,
                create_staff(
                    school, name=keeper.display_name, phone=keeper.phone, position="班主任", user=keeper
                ),
            )
        cells = _cells_for(school, rng, opened_on)
        blind = rng.random() < 0.12 and school.code != KEEPER_SCHOOL  # a few schools still have a gap
        for index, cell in enumerate(cells):
            if blind and index == len(cells) - 1:
                continue
            owner = staff[0] if school.code == KEEPER_SCHOOL and index < 4 else rng.choice(staff)
            assign_first_owner(cell, owner, opened_on)
            owners = [owner]
            keeps_cell = school.code == KEEPER_SCHOOL and index < 4  # the demo keeper's own cells stay theirs
            if rng.random() < 0.15 and not keeps_cell:  # the owner changed during the year
                owners.append(rng.choice([person for person in staff if person is not owner]))
                hand_over(cell, owners[-1], opened_on + timedelta(days=rng.randint(30, 250)))
            if cell.is_key_area:
                add_deputy(cell, rng.choice([person for person in staff if person not in owners]), opened_on)
        _link_hazards(school, cells)
        total += len(cells)
    return total


def _link_hazards(school: OrgUnit, cells: list[GridCell]) -> None:
    """Point hazards at the cell whose name matches where they were found."""
    for cell in cells:
        db.session.execute(
            update(Hazard)
            .where(
                Hazard.org_unit_id == school.id,
                Hazard.location.contains(cell.name[:2]),
                Hazard.grid_cell_id.is_(None),
            )
            .values(grid_cell_id=cell.id)
            .execution_options(synchronize_session=False)
        )
