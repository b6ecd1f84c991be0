"""stored file names unique per tenant (distribution by tenant_id)

Revision ID: 9a0e7c2b3469
Revises: d91bdec545ec
Create Date: 2026-11-26 01:54:48.065983

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "9a0e7c2b3469"
down_revision = "d91bdec545ec"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("drill_photos", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_drill_photos_stored_name"), type_="unique")
        batch_op.create_unique_constraint("uq_drill_photos_tenant_stored_name", ["tenant_id", "stored_name"])

    with op.batch_alter_table("hazard_evidence", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_hazard_evidence_stored_name"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_hazard_evidence_tenant_stored_name", ["tenant_id", "stored_name"]
        )

    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_letters_scan_stored_name"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_letters_tenant_scan_stored_name", ["tenant_id", "scan_stored_name"]
        )

    with op.batch_alter_table("notice_attachments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_notice_attachments_stored_name"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_notice_attachments_tenant_stored_name", ["tenant_id", "stored_name"]
        )


def downgrade():
    with op.batch_alter_table("notice_attachments", schema=None) as batch_op:
        batch_op.drop_constraint("uq_notice_attachments_tenant_stored_name", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_notice_attachments_stored_name"),
            ["stored_name"],
        )

    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_constraint("uq_letters_tenant_scan_stored_name", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_letters_scan_stored_name"),
            ["scan_stored_name"],
        )

    with op.batch_alter_table("hazard_evidence", schema=None) as batch_op:
        batch_op.drop_constraint("uq_hazard_evidence_tenant_stored_name", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_hazard_evidence_stored_name"), ["stored_name"])

    with op.batch_alter_table("drill_photos", schema=None) as batch_op:
        batch_op.drop_constraint("uq_drill_photos_tenant_stored_name", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_drill_photos_stored_name"), ["stored_name"])
