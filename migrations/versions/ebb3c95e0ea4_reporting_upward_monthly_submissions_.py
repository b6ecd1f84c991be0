"""Reporting upward: monthly submissions, rectification notices with answers, flags, inbox digests

Revision ID: ebb3c95e0ea4
Revises: c9714237cea6
Create Date: 2026-11-25 14:13:07.337022

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ebb3c95e0ea4'
down_revision = 'c9714237cea6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notice_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_notice_counters_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_counters')),
    sa.UniqueConstraint('tenant_id', 'year', name=op.f('uq_notice_counters_tenant_id_year'))
    )
    with op.batch_alter_table('notice_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_counters_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_flags_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flags_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_flags_tenant_open', ['tenant_id', 'cleared_at', 'kind'], unique=False)
        batch_op.create_index('ix_flags_tenant_subject', ['tenant_id', 'kind', 'subject'], unique=False)
        batch_op.create_index('ix_flags_tenant_unit', ['tenant_id', 'org_unit_id', 'cleared_at'], unique=False)

    op.create_table('inbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_inbox_messages_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_inbox_messages_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages'))
    )
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_messages_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_inbox_tenant_user_day', ['tenant_id', 'user_id', 'day'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('issuer_unit_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_notices_issued_by_id_users')),
    sa.ForeignKeyConstraint(['issuer_unit_id'], ['org_units.id'], name=op.f('fk_notices_issuer_unit_id_org_units')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_notices_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_notices_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('tenant_id', 'year', 'number', name=op.f('uq_notices_tenant_id_year_number'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_notices_tenant_issuer_status', ['tenant_id', 'issuer_unit_id', 'status'], unique=False)
        batch_op.create_index('ix_notices_tenant_target_status', ['tenant_id', 'org_unit_id', 'status'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_submissions_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_submissions_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['reviewer_unit_id'], ['org_units.id'], name=op.f('fk_submissions_reviewer_unit_id_org_units')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_submissions_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_submissions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('tenant_id', 'org_unit_id', 'period', 'version', name=op.f('uq_submissions_tenant_id_org_unit_id_period_version'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_submissions_tenant_period_status', ['tenant_id', 'period', 'status'], unique=False)

    op.create_table('notice_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_notice_answers_answered_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_notice_answers_decided_by_id_users')),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notice_answers_notice_id_notices')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_notice_answers_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_notice_answers_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_answers'))
    )
    with op.batch_alter_table('notice_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_answers_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_notice_answers_tenant_notice', ['tenant_id', 'notice_id'], unique=False)

    op.create_table('notice_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['notice_answers.id'], name=op.f('fk_notice_attachments_answer_id_notice_answers')),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notice_attachments_notice_id_notices')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_notice_attachments_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_notice_attachments_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_notice_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_notice_attachments_stored_name'))
    )
    with op.batch_alter_table('notice_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_notice_attachments_tenant_answer', ['tenant_id', 'answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_attachments_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('notice_hazards',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazards.id'], name=op.f('fk_notice_hazards_hazard_id_hazards')),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notice_hazards_notice_id_notices')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_notice_hazards_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('notice_id', 'hazard_id', name=op.f('pk_notice_hazards'))
    )
    with op.batch_alter_table('notice_hazards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_hazards_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notice_hazards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_hazards_tenant_id'))

    op.drop_table('notice_hazards')
    with op.batch_alter_table('notice_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_attachments_tenant_id'))
        batch_op.drop_index('ix_notice_attachments_tenant_answer')

    op.drop_table('notice_attachments')
    with op.batch_alter_table('notice_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_answers_tenant_notice')
        batch_op.drop_index(batch_op.f('ix_notice_answers_tenant_id'))

    op.drop_table('notice_answers')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_tenant_period_status')
        batch_op.drop_index(batch_op.f('ix_submissions_tenant_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_tenant_target_status')
        batch_op.drop_index('ix_notices_tenant_issuer_status')
        batch_op.drop_index(batch_op.f('ix_notices_tenant_id'))

    op.drop_table('notices')
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_tenant_user_day')
        batch_op.drop_index(batch_op.f('ix_inbox_messages_tenant_id'))

    op.drop_table('inbox_messages')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_tenant_unit')
        batch_op.drop_index('ix_flags_tenant_subject')
        batch_op.drop_index('ix_flags_tenant_open')
        batch_op.drop_index(batch_op.f('ix_flags_tenant_id'))

    op.drop_table('flags')
    with op.batch_alter_table('notice_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_counters_tenant_id'))

    op.drop_table('notice_counters')
