"""The demo drills: a year for every school, mostly compliant, a few gaps that raise flags; loaded once."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from bureau.demo import district, loader
from bureau.demo.drills import load_demo_drills
from bureau.flags.models import Flag
from bureau.flags.operations import refresh_all
from schools.drills.models import Drill
from schools.drills.queries import overview
from tenancy.extensions import db
from tenancy.models import OrgUnit
from tenancy.platform.operations import create_tenant
from tenancy.scoping import tenant_context, tenant_root


def test_demo_drills(app):
    with app.app_context():
        tenant, _bureau = create_tenant(district.TENANT_CODE, district.TENANT_NAME)
        tenant_id = tenant.id
        with tenant_context(tenant_id):
            tenant_root().code = district.BUREAU_CODE
            loader._load_orgs()
            loader._load_users()
            db.session.execute(
                update(OrgUnit)
                .values(created_at=datetime.now(UTC) - timedelta(days=400))
                .execution_options(synchronize_session=False)
            )
            db.session.expire_all()  # the loaded units must see their new creation date
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
