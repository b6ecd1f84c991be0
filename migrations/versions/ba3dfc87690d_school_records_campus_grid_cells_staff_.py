"""School records: campus grid (cells, staff, owners over time), hazards with history and evidence, ledger imports

Revision ID: ba3dfc87690d
Revises: c3d883116d64
Create Date: 2026-11-25 13:24:59.320220

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ba3dfc87690d'
down_revision = 'c3d883116d64'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grid_cells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('is_key_area', sa.Boolean(), nullable=False),
    sa.Column('key_area_kind', sa.String(length=30), nullable=True),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('ends_at', sa.Time(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_grid_cells_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['parent_id'], ['grid_cells.id'], name=op.f('fk_grid_cells_parent_id_grid_cells')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_grid_cells_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_cells'))
    )
    with op.batch_alter_table('grid_cells', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_cells_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_grid_cells_tenant_school', ['tenant_id', 'org_unit_id', 'parent_id'], unique=False)

    op.create_table('ledger_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ledger_imports_created_by_id_users')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_ledger_imports_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ledger_imports_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_imports'))
    )
    with op.batch_alter_table('ledger_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_imports_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_ledger_imports_tenant_unit', ['tenant_id', 'org_unit_id', 'created_at'], unique=False)

    op.create_table('staff_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('position', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_staff_members_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_staff_members_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_members'))
    )
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_members_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_staff_members_tenant_school', ['tenant_id', 'org_unit_id', 'name'], unique=False)
        batch_op.create_index('ix_staff_members_tenant_user', ['tenant_id', 'user_id'], unique=False)

    op.create_table('grid_cell_owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('grid_cell_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grid_cell_id'], ['grid_cells.id'], name=op.f('fk_grid_cell_owners_grid_cell_id_grid_cells')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_grid_cell_owners_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_grid_cell_owners_staff_id_staff_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_grid_cell_owners_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_cell_owners'))
    )
    with op.batch_alter_table('grid_cell_owners', schema=None) as batch_op:
        batch_op.create_index('ix_grid_cell_owners_tenant_cell', ['tenant_id', 'grid_cell_id', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_cell_owners_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_grid_cell_owners_tenant_school', ['tenant_id', 'org_unit_id', 'starts_on'], unique=False)
        batch_op.create_index('ix_grid_cell_owners_tenant_staff', ['tenant_id', 'staff_id'], unique=False)

    op.create_table('hazards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('recorded_parent_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.String(length=20), nullable=True),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('grid_cell_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('category_inferred', sa.Boolean(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('responsible', sa.String(length=80), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('rectified_on', sa.Date(), nullable=True),
    sa.Column('rectified_by_id', sa.Integer(), nullable=True),
    sa.Column('verification', sa.Text(), nullable=True),
    sa.Column('verified_by', sa.String(length=80), nullable=True),
    sa.Column('verifier_id', sa.Integer(), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('escalated_to_id', sa.Integer(), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('ledger_import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['escalated_to_id'], ['org_units.id'], name=op.f('fk_hazards_escalated_to_id_org_units')),
    sa.ForeignKeyConstraint(['grid_cell_id'], ['grid_cells.id'], name=op.f('fk_hazards_grid_cell_id_grid_cells')),
    sa.ForeignKeyConstraint(['ledger_import_id'], ['ledger_imports.id'], name=op.f('fk_hazards_ledger_import_id_ledger_imports')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_hazards_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['recorded_parent_id'], ['org_units.id'], name=op.f('fk_hazards_recorded_parent_id_org_units')),
    sa.ForeignKeyConstraint(['rectified_by_id'], ['users.id'], name=op.f('fk_hazards_rectified_by_id_users')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_hazards_reported_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_hazards_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['verifier_id'], ['users.id'], name=op.f('fk_hazards_verifier_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hazards'))
    )
    with op.batch_alter_table('hazards', schema=None) as batch_op:
        batch_op.create_index('ix_hazards_tenant_escalated', ['tenant_id', 'escalated_to_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazards_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_hazards_tenant_level_status', ['tenant_id', 'level', 'status'], unique=False)
        batch_op.create_index('ix_hazards_tenant_unit_found', ['tenant_id', 'org_unit_id', 'found_on'], unique=False)
        batch_op.create_index('ix_hazards_tenant_unit_status', ['tenant_id', 'org_unit_id', 'status', 'deadline'], unique=False)

    op.create_table('hazard_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazards.id'], name=op.f('fk_hazard_events_hazard_id_hazards')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_hazard_events_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_hazard_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hazard_events'))
    )
    with op.batch_alter_table('hazard_events', schema=None) as batch_op:
        batch_op.create_index('ix_hazard_events_tenant_hazard', ['tenant_id', 'hazard_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_events_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('hazard_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazards.id'], name=op.f('fk_hazard_evidence_hazard_id_hazards')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_hazard_evidence_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_hazard_evidence_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_hazard_evidence_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hazard_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_hazard_evidence_stored_name'))
    )
    with op.batch_alter_table('hazard_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_hazard_evidence_tenant_hazard', ['tenant_id', 'hazard_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_evidence_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('hazard_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_evidence_tenant_id'))
        batch_op.drop_index('ix_hazard_evidence_tenant_hazard')

    op.drop_table('hazard_evidence')
    with op.batch_alter_table('hazard_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_events_tenant_id'))
        batch_op.drop_index('ix_hazard_events_tenant_hazard')

    op.drop_table('hazard_events')
    with op.batch_alter_table('hazards', schema=None) as batch_op:
        batch_op.drop_index('ix_hazards_tenant_unit_status')
        batch_op.drop_index('ix_hazards_tenant_unit_found')
        batch_op.drop_index('ix_hazards_tenant_level_status')
        batch_op.drop_index(batch_op.f('ix_hazards_tenant_id'))
        batch_op.drop_index('ix_hazards_tenant_escalated')

    op.drop_table('hazards')
    with op.batch_alter_table('grid_cell_owners', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_cell_owners_tenant_staff')
        batch_op.drop_index('ix_grid_cell_owners_tenant_school')
        batch_op.drop_index(batch_op.f('ix_grid_cell_owners_tenant_id'))
        batch_op.drop_index('ix_grid_cell_owners_tenant_cell')

    op.drop_table('grid_cell_owners')
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_members_tenant_user')
        batch_op.drop_index('ix_staff_members_tenant_school')
        batch_op.drop_index(batch_op.f('ix_staff_members_tenant_id'))

    op.drop_table('staff_members')
    with op.batch_alter_table('ledger_imports', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_imports_tenant_unit')
        batch_op.drop_index(batch_op.f('ix_ledger_imports_tenant_id'))

    op.drop_table('ledger_imports')
    with op.batch_alter_table('grid_cells', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_cells_tenant_school')
        batch_op.drop_index(batch_op.f('ix_grid_cells_tenant_id'))

    op.drop_table('grid_cells')
