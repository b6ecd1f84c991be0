"""The demo rosters: grid staff on duty, holidays marked, a few gaps next week; loaded once."""

from datetime import timedelta

from sqlalchemy import func, select

from bureau.demo.duty import DAYS_AHEAD, DAYS_BACK, load_demo_duty
from bureau.demo.grid import load_demo_grid
from schools.duty.models import DutyDay
from schools.duty.queries import duty_gaps
from schools.grid.models import Staff
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.scoping import tenant_context
from tenancy.settings.store import tenant_today
from tests.fixtures.demo import start_demo_district


def test_demo_duty(app):
    with app.app_context():
        tenant_id = start_demo_district()
        with tenant_context(tenant_id):
            load_demo_grid()
            assert load_demo_duty() > 1000
            db.session.commit()
    with app.app_context(), tenant_context(tenant_id):
        count = db.session.scalar(select(func.count()).select_from(DutyDay))
        assert load_demo_duty() == 0 and db.session.scalar(select(func.count()).select_from(DutyDay)) == count
        today = tenant_today()
        first, last = db.session.execute(select(func.min(DutyDay.day), func.max(DutyDay.day))).one()
        assert (first, last) == (today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD))
        staff_names = set(db.session.scalars(select(Staff.name)))
        people = set(db.session.scalars(select(DutyDay.duty_person)))
        assert people <= staff_names  # the schools' own staff are on duty
        units = db.session.scalars(select(OrgUnit)).all()
        gaps = duty_gaps(units, today)
        schools = [unit for unit in units if unit.id in gaps]
        assert 0 < len(schools) < len(units) * 0.3  # a few schools have gaps next week
