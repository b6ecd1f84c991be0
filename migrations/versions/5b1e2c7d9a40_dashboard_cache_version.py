"""Rollup versions (the dashboards' cache key) and the review queue's index

Revision ID: 5b1e2c7d9a40
Revises: 47030cdf778f
Create Date: 2026-11-25 19:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b1e2c7d9a40"
down_revision = "47030cdf778f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rollup_versions",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_rollup_versions_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_rollup_versions")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_submissions_tenant_reviewer_status",
            ["tenant_id", "reviewer_unit_id", "status", "submitted_at"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_tenant_reviewer_status")
    op.drop_table("rollup_versions")
