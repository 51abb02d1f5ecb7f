"""day-one workflows: teams archived and members' roles, assignments per review with their history,
merges kept for undo, meetings tied to an organisation and contacts, interactions tied to what they followed

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("contact", "organisation", name="mergekind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("keep_id", sa.Integer(), nullable=False),
        sa.Column("duplicate_id", sa.Integer(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=True),
        sa.Column("merged_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("moved", sa.Text(), nullable=False),
        sa.Column("undone_at", crm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_by_id"],
            ["users.id"],
            name=op.f("fk_record_merges_merged_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["users.id"],
            name=op.f("fk_record_merges_undone_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_merges")),
    )
    with op.batch_alter_table("record_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_merges_duplicate_id"), ["duplicate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_merges_keep_id"), ["keep_id"], unique=False)

    op.create_table(
        "outreach_assignment_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "action",
            sa.Enum("assigned", "moved", "unassigned", name="assignmentaction", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("from_team_id", sa.Integer(), nullable=True),
        sa.Column("from_officer_id", sa.Integer(), nullable=True),
        sa.Column("to_team_id", sa.Integer(), nullable=True),
        sa.Column("to_officer_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["users.id"],
            name=op.f("fk_outreach_assignment_changes_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_officer_id"],
            ["users.id"],
            name=op.f("fk_outreach_assignment_changes_from_officer_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_team_id"],
            ["teams.id"],
            name=op.f("fk_outreach_assignment_changes_from_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_outreach_assignment_changes_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_outreach_assignment_changes_review_id_reviews"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_outreach_assignment_changes_state_code_states")
        ),
        sa.ForeignKeyConstraint(
            ["to_officer_id"],
            ["users.id"],
            name=op.f("fk_outreach_assignment_changes_to_officer_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_team_id"],
            ["teams.id"],
            name=op.f("fk_outreach_assignment_changes_to_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_assignment_changes")),
    )
    with op.batch_alter_table("outreach_assignment_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outreach_assignment_changes_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outreach_assignment_changes_from_team_id"), ["from_team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outreach_assignment_changes_to_team_id"), ["to_team_id"], unique=False
        )

    op.create_table(
        "calendar_event_contacts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_calendar_event_contacts_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["calendar_events.id"],
            name=op.f("fk_calendar_event_contacts_event_id_calendar_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "contact_id", name=op.f("pk_calendar_event_contacts")),
    )
    with op.batch_alter_table("calendar_event_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_event_contacts_contact_id"), ["contact_id"], unique=False
        )

    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_calendar_events_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_calendar_events_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_contacts_merged_into_id_contacts"),
            "contacts",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f("ix_interactions_origin"), ["origin"], unique=False)

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_organisations_merged_into_id_organisations"),
            "organisations",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("outreach_assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_outreach_assignments_team_organisation"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_outreach_assignments_team_state"), type_="unique")
        batch_op.create_index(batch_op.f("ix_outreach_assignments_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outreach_assignments_team_id"), ["team_id"], unique=False)
        batch_op.create_unique_constraint(
            "uq_outreach_assignments_review_organisation", ["review_id", "organisation_id"]
        )
        batch_op.create_unique_constraint("uq_outreach_assignments_review_state", ["review_id", "state_code"])
        batch_op.create_foreign_key(
            batch_op.f("fk_outreach_assignments_review_id_reviews"),
            "reviews",
            ["review_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("team_memberships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "role",
                sa.Enum("lead", "officer", "observer", name="teamrole", native_enum=False, length=32),
                server_default="officer",
                nullable=False,
            )
        )

    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", crm.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("archived_at")

    with op.batch_alter_table("team_memberships", schema=None) as batch_op:
        batch_op.drop_column("role")

    # A team may hold a state for several reviews now; before, once: keep the earliest of each.
    op.execute(
        "DELETE FROM outreach_assignments WHERE id NOT IN (SELECT MIN(id) FROM outreach_assignments "
        "GROUP BY team_id, state_code, organisation_id)"
    )
    with op.batch_alter_table("outreach_assignments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outreach_assignments_review_id_reviews"), type_="foreignkey")
        batch_op.drop_constraint("uq_outreach_assignments_review_state", type_="unique")
        batch_op.drop_constraint("uq_outreach_assignments_review_organisation", type_="unique")
        batch_op.drop_index(batch_op.f("ix_outreach_assignments_team_id"))
        batch_op.drop_index(batch_op.f("ix_outreach_assignments_review_id"))
        batch_op.create_unique_constraint(
            batch_op.f("uq_outreach_assignments_team_state"), ["team_id", "state_code"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_outreach_assignments_team_organisation"), ["team_id", "organisation_id"]
        )
        batch_op.drop_column("review_id")

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_organisations_merged_into_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_column("merged_into_id")

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interactions_origin"))
        batch_op.drop_column("origin")

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contacts_merged_into_id_contacts"), type_="foreignkey")
        batch_op.drop_column("merged_into_id")

    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_calendar_events_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_calendar_events_organisation_id"))
        batch_op.drop_column("organisation_id")

    with op.batch_alter_table("calendar_event_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_event_contacts_contact_id"))

    op.drop_table("calendar_event_contacts")
    with op.batch_alter_table("outreach_assignment_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_assignment_changes_to_team_id"))
        batch_op.drop_index(batch_op.f("ix_outreach_assignment_changes_from_team_id"))
        batch_op.drop_index(batch_op.f("ix_outreach_assignment_changes_at"))

    op.drop_table("outreach_assignment_changes")
    with op.batch_alter_table("record_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_merges_keep_id"))
        batch_op.drop_index(batch_op.f("ix_record_merges_duplicate_id"))

    op.drop_table("record_merges")
