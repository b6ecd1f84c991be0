"""The demo letters: two years, this year's gaps and a re-signing; loaded once."""

from sqlalchemy import func, select

from bureau.demo.letters import RESIGNED_SCHOOL, load_demo_letters
from schools.letters.models import Letter
from schools.letters.queries import letter_gaps, letter_rows
from tenancy.extensions import db
from tenancy.scoping import tenant_context, tenant_root
from tenancy.settings.store import tenant_today
from tests.fixtures.demo import start_demo_district


def test_demo_letters(app):
    with app.app_context():
        tenant_id = start_demo_district()
        with tenant_context(tenant_id):
            assert load_demo_letters() > 500
            db.session.commit()
    with app.app_context(), tenant_context(tenant_id):
        count = db.session.scalar(select(func.count()).select_from(Letter))
        assert (
            load_demo_letters() == 0 and db.session.scalar(select(func.count()).select_from(Letter)) == count
        )
        year = tenant_today().year
        assert letter_gaps(tenant_root(), year - 1) == []  # last year: everything signed
        rows = letter_rows(tenant_root(), year)
        centrals = [row for row in rows if row.unit.kind == "central"]
        assert centrals and all(row.upward_status == "signed" and row.letter.has_scan for row in centrals)
        schools = [row for row in rows if row.tier == "central_school"]
        statuses = [row.upward_status for row in schools]
        assert statuses.count("signed") > len(schools) * 0.7
        assert "missing" in statuses and "issued" in statuses
        assert any(row.school_tiers["principal_staff"].missing for row in schools)
        superseded = db.session.scalars(select(Letter).where(Letter.status == "superseded")).all()
        assert [letter.unit.code for letter in superseded] == [RESIGNED_SCHOOL]
