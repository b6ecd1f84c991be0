"""The demo drills: a year for every school, mostly compliant, a few gaps that raise flags; loaded once."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bureau.demo.drills import load_demo_drills
from bureau.flags.models import Flag
from bureau.flags.operations import refresh_all
from schools.drills.models import Drill
from schools.drills.queries import overview
from tenancy.extensions import db
from tenancy.scoping import tenant_context, tenant_root
from tests.fixtures.demo import start_demo_district


def test_demo_drills(app):
    with app.app_context():
        tenant_id = start_demo_district(backdate_days=400)
        with tenant_context(tenant_id):
            assert load_demo_drills() > 400  # about ten a school a year
            refresh_all()
            db.session.commit()
    with app.app_context(), tenant_context(tenant_id):
        count = db.session.scalar(select(func.count()).select_from(Drill))
        assert load_demo_drills() == 0 and db.session.scalar(select(func.count()).select_from(Drill)) == count
        assert db.session.scalar(
            select(func.count()).where(Drill.problems == "三楼东侧楼梯拥堵，疏散用时超预期")
        )
        flagged = set(
            db.session.scalars(
                select(Flag.org_unit_id)
                .where(Flag.kind == "drill_missed", Flag.cleared_at.is_(None))
                .distinct()
            )
        )
        rows = overview(
            tenant_root(), datetime.now(UTC).date() - timedelta(days=365), datetime.now(UTC).date()
        )
        assert 1 <= len(flagged) <= len(rows) // 3, (len(flagged), len(rows))
        assert [row.school.code for row in rows if not row.last_held_on] == []
