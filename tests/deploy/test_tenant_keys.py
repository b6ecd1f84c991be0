"""Every tenant-owned table keeps the tenant keys (deploy/check_tenant_keys.py): ready for Citus."""

import importlib.util

import sqlalchemy as sa

from tenancy.extensions import db
from tests.deploy.kit import DEPLOY

spec = importlib.util.spec_from_file_location("check_tenant_keys", DEPLOY / "check_tenant_keys.py")
keys = importlib.util.module_from_spec(spec)
spec.loader.exec_module(keys)


def test_no_table_breaks_the_rules_beyond_the_known_gaps(app):
    report = keys.check(keys.from_metadata(db.metadata))
    assert report.unexpected() == []
    assert set(report.reference) == {"tenants", "operators"}
    assert {"hazards", "org_units", "rollup_unit_months", "outbox"} <= set(report.distributed)
    # A known gap that is fixed must leave the list, so the list stays true.
    found = {problem[:3] for problem in report.problems}
    assert found >= keys.KNOWN_GAPS, f"fixed, remove from KNOWN_GAPS: {keys.KNOWN_GAPS - found}"


def test_a_table_that_breaks_them_is_reported():
    metadata = sa.MetaData()
    sa.Table("tenants", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "gadgets",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.ForeignKey("tenants.id"), nullable=True),
        sa.Column("serial", sa.String(20)),
        sa.Column("made_on", sa.Date),
        sa.UniqueConstraint("serial", name="uq_gadgets_serial"),
        sa.Index("ix_gadgets_made", "made_on", "serial"),
    )
    report = keys.check(keys.from_metadata(metadata))
    assert {(rule, name) for rule, _table, name, _text in report.unexpected()} == {
        ("not_null", "tenant_id"),
        ("indexed", "tenant_id"),
        ("unique", "uq_gadgets_serial"),
        ("composite", "ix_gadgets_made"),
    }
    assert report.citus == [("gadgets", "primary key", "(id)")]
