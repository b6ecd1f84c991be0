"""The tenant filter works centrally and fails closed."""

import pytest
from sqlalchemy import func, select, update

from tenancy.extensions import db
from tenancy.models import OrgUnit, User
from tenancy.scoping import CrossTenantWrite, TenantContextMissing, tenant_context, unscoped


def test_queries_see_only_the_current_tenant(app, world):
    with app.app_context():
        with tenant_context(world.beta.id):
            codes = set(db.session.scalars(select(OrgUnit.code)))
        assert codes == {"beta", "BC1", "BS1"}
        with unscoped():
            assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == len(world.alpha_orgs) + 3


def test_relationship_loads_and_joins_are_filtered(app, world):
    with app.app_context(), tenant_context(world.beta.id):
        joined = db.session.execute(select(User.username, OrgUnit.code).join(User.grants).join(OrgUnit)).all()
        assert {row.username for row in joined} == {"betaadmin", "betaschool"}


def test_query_without_a_tenant_fails_closed(app, world):
    with app.app_context(), pytest.raises(TenantContextMissing):
        db.session.scalars(select(OrgUnit)).all()


def test_bulk_update_stays_in_the_tenant(app, world):
    with app.app_context():
        with tenant_context(world.beta.id):
            db.session.execute(
                update(OrgUnit).values(name="改名").execution_options(synchronize_session=False)
            )
            db.session.commit()
        with tenant_context(world.alpha.id):
            assert "改名" not in set(db.session.scalars(select(OrgUnit.name)))


def test_writing_another_tenants_object_is_refused(app, world):
    with app.app_context(), tenant_context(world.alpha.id):
        db.session.add(
            OrgUnit(tenant_id=world.beta.id, code="X", name="x", level=3, kind="primary", path="/")
        )
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_counts_are_filtered_however_they_are_written(app, world):
    """count(*) FROM a model and FROM a subquery of one see only the current tenant too."""
    with app.app_context(), tenant_context(world.beta.id):
        assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 3
        assert db.session.scalar(select(func.count()).select_from(select(OrgUnit).subquery())) == 3
        assert db.session.scalar(select(func.count(OrgUnit.id))) == 3
