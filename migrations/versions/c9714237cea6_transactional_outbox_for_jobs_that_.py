"""Transactional outbox for jobs that never lose work

Revision ID: c9714237cea6
Revises: ba3dfc87690d
Create Date: 2026-11-25 13:43:31.445004

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9714237cea6'
down_revision = 'ba3dfc87690d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('once_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_outbox_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('tenant_id', 'once_key', name=op.f('uq_outbox_tenant_id_once_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['finished_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_outbox_tenant_pending', ['tenant_id', 'job', 'key', 'finished_at'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_tenant_pending')
        batch_op.drop_index(batch_op.f('ix_outbox_tenant_id'))
        batch_op.drop_index('ix_outbox_pending')

    op.drop_table('outbox')
