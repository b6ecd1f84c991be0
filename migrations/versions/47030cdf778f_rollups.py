"""Rollups: figures per org unit and month, and category detail per month

Revision ID: 47030cdf778f
Revises: ebb3c95e0ea4
Create Date: 2026-11-25 15:30:13.840598

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '47030cdf778f'
down_revision = 'ebb3c95e0ea4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_category_months',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.Column('found_major', sa.Integer(), nullable=False),
    sa.Column('rectified', sa.Integer(), nullable=False),
    sa.Column('rectified_on_time', sa.Integer(), nullable=False),
    sa.Column('became_overdue', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_rollup_category_months_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_rollup_category_months_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'org_unit_id', 'period', 'category', name=op.f('pk_rollup_category_months'))
    )
    op.create_table('rollup_unit_months',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.Column('found_serious', sa.Integer(), nullable=False),
    sa.Column('found_major', sa.Integer(), nullable=False),
    sa.Column('found_closed', sa.Integer(), nullable=False),
    sa.Column('rectified', sa.Integer(), nullable=False),
    sa.Column('rectified_on_time', sa.Integer(), nullable=False),
    sa.Column('rect_days', sa.Integer(), nullable=False),
    sa.Column('rect_d1', sa.Integer(), nullable=False),
    sa.Column('rect_d3', sa.Integer(), nullable=False),
    sa.Column('rect_d7', sa.Integer(), nullable=False),
    sa.Column('rect_d14', sa.Integer(), nullable=False),
    sa.Column('rect_d30', sa.Integer(), nullable=False),
    sa.Column('rect_d60', sa.Integer(), nullable=False),
    sa.Column('rect_dmore', sa.Integer(), nullable=False),
    sa.Column('verified', sa.Integer(), nullable=False),
    sa.Column('verified_major', sa.Integer(), nullable=False),
    sa.Column('became_overdue', sa.Integer(), nullable=False),
    sa.Column('reports_due', sa.Integer(), nullable=False),
    sa.Column('reports_on_time', sa.Integer(), nullable=False),
    sa.Column('reports_late', sa.Integer(), nullable=False),
    sa.Column('reports_missing', sa.Integer(), nullable=False),
    sa.Column('flags_raised', sa.Integer(), nullable=False),
    sa.Column('flags_cleared', sa.Integer(), nullable=False),
    sa.Column('open_end', sa.Integer(), nullable=False),
    sa.Column('overdue_end', sa.Integer(), nullable=False),
    sa.Column('major_open_end', sa.Integer(), nullable=False),
    sa.Column('flags_open_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_rollup_unit_months_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_rollup_unit_months_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'org_unit_id', 'period', name=op.f('pk_rollup_unit_months'))
    )
    with op.batch_alter_table('rollup_unit_months', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_unit_months_tenant_period', ['tenant_id', 'period', 'overdue_end'], unique=False)



def downgrade():
    with op.batch_alter_table('rollup_unit_months', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_unit_months_tenant_period')

    op.drop_table('rollup_unit_months')
    op.drop_table('rollup_category_months')
