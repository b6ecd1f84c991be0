"""annual assessment: rubrics, indicators, entered scores, results

Revision ID: d91bdec545ec
Revises: 94ff6b55d8af
Create Date: 2026-11-26 00:03:31.376074

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d91bdec545ec"
down_revision = "94ff6b55d8af"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_rubrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("computed_through", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_assessment_rubrics_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_rubrics")),
        sa.UniqueConstraint("tenant_id", "year", name="uq_assessment_rubrics_tenant_year"),
    )
    with op.batch_alter_table("assessment_rubrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_rubrics_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "assessment_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rubric_id"],
            ["assessment_rubrics.id"],
            name=op.f("fk_assessment_indicators_rubric_id_assessment_rubrics"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_assessment_indicators_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_indicators")),
        sa.UniqueConstraint("tenant_id", "rubric_id", "code", name="uq_assessment_indicators_code"),
    )
    with op.batch_alter_table("assessment_indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_indicators_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "assessment_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("central_id", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("vetoed", sa.Boolean(), nullable=False),
        sa.Column("grade", sa.String(length=10), nullable=False),
        sa.Column("rank_tenant", sa.Integer(), nullable=False),
        sa.Column("rank_central", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["central_id"], ["org_units.id"], name=op.f("fk_assessment_results_central_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_assessment_results_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["rubric_id"],
            ["assessment_rubrics.id"],
            name=op.f("fk_assessment_results_rubric_id_assessment_rubrics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_assessment_results_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_results")),
        sa.UniqueConstraint("tenant_id", "rubric_id", "org_unit_id", name="uq_assessment_results_school"),
    )
    with op.batch_alter_table("assessment_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_results_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_assessment_results_tenant_rubric_central",
            ["tenant_id", "rubric_id", "central_id"],
            unique=False,
        )

    op.create_table(
        "assessment_entered_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=80), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["assessment_indicators.id"],
            name=op.f("fk_assessment_entered_scores_indicator_id_assessment_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_assessment_entered_scores_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_assessment_entered_scores_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_entered_scores")),
        sa.UniqueConstraint("tenant_id", "indicator_id", "org_unit_id", name="uq_assessment_entered_scores"),
    )
    with op.batch_alter_table("assessment_entered_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_entered_scores_tenant_id"), ["tenant_id"], unique=False
        )

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table("assessment_entered_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_entered_scores_tenant_id"))

    op.drop_table("assessment_entered_scores")
    with op.batch_alter_table("assessment_results", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_results_tenant_rubric_central")
        batch_op.drop_index(batch_op.f("ix_assessment_results_tenant_id"))

    op.drop_table("assessment_results")
    with op.batch_alter_table("assessment_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_indicators_tenant_id"))

    op.drop_table("assessment_indicators")
    with op.batch_alter_table("assessment_rubrics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_rubrics_tenant_id"))

    op.drop_table("assessment_rubrics")
    # ### end Alembic commands ###
