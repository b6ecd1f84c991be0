"""Other safety work: drills, responsibility letters, incidents, joint-prevention contacts, duty roster, zero-reports

Revision ID: 94ff6b55d8af
Revises: 5b1e2c7d9a40
Create Date: 2026-11-25 19:36:35.192753

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "94ff6b55d8af"
down_revision = "5b1e2c7d9a40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("unit_name", sa.String(length=120), nullable=False),
        sa.Column("person", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_contacts_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_contacts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_contacts_tenant_unit_kind", ["tenant_id", "org_unit_id", "kind", "is_active"], unique=False
        )

    op.create_table(
        "drills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("improvements", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_drills_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_drills_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_drills_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drills")),
    )
    with op.batch_alter_table("drills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drills_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_drills_tenant_unit_held", ["tenant_id", "org_unit_id", "held_on"], unique=False
        )

    op.create_table(
        "duty_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("duty_person", sa.String(length=60), nullable=False),
        sa.Column("duty_phone", sa.String(length=20), nullable=False),
        sa.Column("leader", sa.String(length=60), nullable=False),
        sa.Column("leader_phone", sa.String(length=20), nullable=False),
        sa.Column("is_holiday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_duty_days_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_duty_days_tenant_id_tenants")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_duty_days_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_days")),
        sa.UniqueConstraint(
            "tenant_id", "org_unit_id", "day", name=op.f("uq_duty_days_tenant_id_org_unit_id_day")
        ),
    )
    with op.batch_alter_table("duty_days", schema=None) as batch_op:
        batch_op.create_index("ix_duty_days_tenant_day", ["tenant_id", "day"], unique=False)
        batch_op.create_index(batch_op.f("ix_duty_days_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lag_minutes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("deaths", sa.Integer(), nullable=False),
        sa.Column("serious_injuries", sa.Integer(), nullable=False),
        sa.Column("minor_injuries", sa.Integer(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("is_responsibility_accident", sa.Boolean(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"], name=op.f("fk_incidents_closed_by_id_users")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_incidents_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"], name=op.f("fk_incidents_reported_by_id_users")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_incidents_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incidents_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_incidents_tenant_status", ["tenant_id", "status", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_incidents_tenant_unit_occurred", ["tenant_id", "org_unit_id", "occurred_at"], unique=False
        )

    op.create_table(
        "letter_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("staff_count", sa.Integer(), nullable=False),
        sa.Column("class_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_letter_targets_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_letter_targets_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_targets")),
        sa.UniqueConstraint(
            "tenant_id", "org_unit_id", "year", name=op.f("uq_letter_targets_tenant_id_org_unit_id_year")
        ),
    )
    with op.batch_alter_table("letter_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letter_targets_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("issuer_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("signer_label", sa.String(length=80), nullable=False),
        sa.Column("signer_name", sa.String(length=60), nullable=False),
        sa.Column("signer_post", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("scan_stored_name", sa.String(length=80), nullable=True),
        sa.Column("scan_original_name", sa.String(length=255), nullable=True),
        sa.Column("scan_content_type", sa.String(length=40), nullable=True),
        sa.Column("scan_size", sa.Integer(), nullable=True),
        sa.Column("scan_uploaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_letters_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["issuer_unit_id"], ["org_units.id"], name=op.f("fk_letters_issuer_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_letters_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["signed_recorded_by_id"], ["users.id"], name=op.f("fk_letters_signed_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["letters.id"], name=op.f("fk_letters_supersedes_id_letters")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_letters_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters")),
        sa.UniqueConstraint("scan_stored_name", name=op.f("uq_letters_scan_stored_name")),
    )
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letters_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_letters_tenant_issuer_year", ["tenant_id", "issuer_unit_id", "year"], unique=False
        )
        batch_op.create_index(
            "ix_letters_tenant_unit_year", ["tenant_id", "org_unit_id", "year"], unique=False
        )
        batch_op.create_index(
            "ix_letters_tenant_year_tier", ["tenant_id", "year", "tier", "status"], unique=False
        )
        batch_op.create_index(
            "uq_letters_current",
            ["tenant_id", "year", "tier", "org_unit_id", "signer_label"],
            unique=True,
            sqlite_where=sa.text("status != 'superseded'"),
            postgresql_where=sa.text("status != 'superseded'"),
        )

    op.create_table(
        "zeroreport_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Time(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("covers_all", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("switched_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("switched_off_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_zeroreport_windows_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_zeroreport_windows_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["switched_off_by_id"], ["users.id"], name=op.f("fk_zeroreport_windows_switched_off_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_zeroreport_windows_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zeroreport_windows")),
    )
    with op.batch_alter_table("zeroreport_windows", schema=None) as batch_op:
        batch_op.create_index(
            "ix_zeroreport_windows_tenant_dates", ["tenant_id", "starts_on", "ends_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_zeroreport_windows_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "drill_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drill_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["drill_id"], ["drills.id"], name=op.f("fk_drill_photos_drill_id_drills")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_drill_photos_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_drill_photos_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_drill_photos_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_photos")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_drill_photos_stored_name")),
    )
    with op.batch_alter_table("drill_photos", schema=None) as batch_op:
        batch_op.create_index("ix_drill_photos_tenant_drill", ["tenant_id", "drill_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_drill_photos_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "incident_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_incident_reports_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_reports_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_incident_reports_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_incident_reports_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_reports")),
    )
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_reports_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_incident_reports_tenant_incident", ["tenant_id", "incident_id"], unique=False
        )

    op.create_table(
        "zeroreport_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_zeroreport_targets_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_zeroreport_targets_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["zeroreport_windows.id"],
            name=op.f("fk_zeroreport_targets_window_id_zeroreport_windows"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zeroreport_targets")),
        sa.UniqueConstraint(
            "tenant_id",
            "window_id",
            "org_unit_id",
            name=op.f("uq_zeroreport_targets_tenant_id_window_id_org_unit_id"),
        ),
    )
    with op.batch_alter_table("zeroreport_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zeroreport_targets_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "zeroreports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("is_zero", sa.Boolean(), nullable=False),
        sa.Column("is_late", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_zeroreports_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"], name=op.f("fk_zeroreports_reported_by_id_users")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_zeroreports_tenant_id_tenants")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_zeroreports_updated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["window_id"], ["zeroreport_windows.id"], name=op.f("fk_zeroreports_window_id_zeroreport_windows")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zeroreports")),
        sa.UniqueConstraint(
            "tenant_id",
            "window_id",
            "org_unit_id",
            "day",
            name=op.f("uq_zeroreports_tenant_id_window_id_org_unit_id_day"),
        ),
    )
    with op.batch_alter_table("zeroreports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zeroreports_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_zeroreports_tenant_unit_day", ["tenant_id", "org_unit_id", "day"], unique=False
        )

    op.create_table(
        "incident_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_incident_attachments_org_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["incident_reports.id"],
            name=op.f("fk_incident_attachments_report_id_incident_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_incident_attachments_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_incident_attachments_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_attachments")),
        sa.UniqueConstraint(
            "tenant_id", "stored_name", name=op.f("uq_incident_attachments_tenant_id_stored_name")
        ),
    )
    with op.batch_alter_table("incident_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_attachments_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_incident_attachments_tenant_report", ["tenant_id", "report_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("incident_attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_attachments_tenant_report")
        batch_op.drop_index(batch_op.f("ix_incident_attachments_tenant_id"))

    op.drop_table("incident_attachments")
    with op.batch_alter_table("zeroreports", schema=None) as batch_op:
        batch_op.drop_index("ix_zeroreports_tenant_unit_day")
        batch_op.drop_index(batch_op.f("ix_zeroreports_tenant_id"))

    op.drop_table("zeroreports")
    with op.batch_alter_table("zeroreport_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zeroreport_targets_tenant_id"))

    op.drop_table("zeroreport_targets")
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_reports_tenant_incident")
        batch_op.drop_index(batch_op.f("ix_incident_reports_tenant_id"))

    op.drop_table("incident_reports")
    with op.batch_alter_table("drill_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drill_photos_tenant_id"))
        batch_op.drop_index("ix_drill_photos_tenant_drill")

    op.drop_table("drill_photos")
    with op.batch_alter_table("zeroreport_windows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zeroreport_windows_tenant_id"))
        batch_op.drop_index("ix_zeroreport_windows_tenant_dates")

    op.drop_table("zeroreport_windows")
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_letters_current",
            sqlite_where=sa.text("status != 'superseded'"),
            postgresql_where=sa.text("status != 'superseded'"),
        )
        batch_op.drop_index("ix_letters_tenant_year_tier")
        batch_op.drop_index("ix_letters_tenant_unit_year")
        batch_op.drop_index("ix_letters_tenant_issuer_year")
        batch_op.drop_index(batch_op.f("ix_letters_tenant_id"))

    op.drop_table("letters")
    with op.batch_alter_table("letter_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_targets_tenant_id"))

    op.drop_table("letter_targets")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_tenant_unit_occurred")
        batch_op.drop_index("ix_incidents_tenant_status")
        batch_op.drop_index(batch_op.f("ix_incidents_tenant_id"))

    op.drop_table("incidents")
    with op.batch_alter_table("duty_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_days_tenant_id"))
        batch_op.drop_index("ix_duty_days_tenant_day")

    op.drop_table("duty_days")
    with op.batch_alter_table("drills", schema=None) as batch_op:
        batch_op.drop_index("ix_drills_tenant_unit_held")
        batch_op.drop_index(batch_op.f("ix_drills_tenant_id"))

    op.drop_table("drills")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_tenant_unit_kind")
        batch_op.drop_index(batch_op.f("ix_contacts_tenant_id"))

    op.drop_table("contacts")
