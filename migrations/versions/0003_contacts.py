"""contacts: interactions, tasks, agency mandates, team themes, assignments, successions, audit log

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meeting", "email", "call", "event", name="interactionkind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_interactions_officer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interactions_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_interactions_officer_id"), ["officer_id"], unique=False)

    op.create_table(
        "team_priority_themes",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_priority_themes_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_team_priority_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "theme_id", name=op.f("pk_team_priority_themes")),
    )
    op.create_table(
        "agency_mandates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_agency_mandates_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_agency_mandates_theme_id_themes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_mandates")),
        sa.UniqueConstraint("organisation_id", "theme_id", name=op.f("uq_agency_mandates_organisation_id")),
    )
    with op.batch_alter_table("agency_mandates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_mandates_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "outreach_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["users.id"],
            name=op.f("fk_outreach_assignments_officer_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_outreach_assignments_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_outreach_assignments_state_code_states")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_outreach_assignments_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_assignments")),
        sa.UniqueConstraint("team_id", "organisation_id", name="uq_outreach_assignments_team_organisation"),
        sa.UniqueConstraint("team_id", "state_code", name="uq_outreach_assignments_team_state"),
    )
    with op.batch_alter_table("outreach_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outreach_assignments_officer_id"), ["officer_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_audit_log_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "contact_successions",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_successions_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_contact_successions_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["contacts.id"],
            name=op.f("fk_contact_successions_successor_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_contact_successions")),
    )
    with op.batch_alter_table("contact_successions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_successions_successor_id"), ["successor_id"], unique=False
        )

    op.create_table(
        "interaction_contacts",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_interaction_contacts_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_contacts_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "contact_id", name=op.f("pk_interaction_contacts")),
    )
    with op.batch_alter_table("interaction_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interaction_contacts_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "interaction_recommendations",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_recommendations_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_interaction_recommendations_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "interaction_id", "recommendation_id", name=op.f("pk_interaction_recommendations")
        ),
    )
    with op.batch_alter_table("interaction_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_recommendations_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("follow_up", "successor", "other", name="taskkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("done_at", crm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_tasks_assignee_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_tasks_contact_id_contacts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_tasks_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_tasks_team_id_teams"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tasks_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_interaction_id"), ["interaction_id"], unique=False)
        batch_op.create_index("ix_tasks_open_due", ["done_at", "due_on"], unique=False)
    op.create_table(
        "coalition_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=200), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("themes", sa.Text(), nullable=False),
        sa.Column("imported_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_coalition_claims_state_code_states")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_coalition_claims_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coalition_claims")),
        sa.UniqueConstraint("team_id", "partner", "state_code", name=op.f("uq_coalition_claims_team_id")),
    )


def downgrade() -> None:
    op.drop_table("coalition_claims")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_open_due")
        batch_op.drop_index(batch_op.f("ix_tasks_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_contact_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_assignee_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("interaction_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_recommendations_recommendation_id"))

    op.drop_table("interaction_recommendations")
    with op.batch_alter_table("interaction_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_contacts_contact_id"))

    op.drop_table("interaction_contacts")
    with op.batch_alter_table("contact_successions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_successions_successor_id"))

    op.drop_table("contact_successions")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_contact_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("outreach_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_assignments_officer_id"))

    op.drop_table("outreach_assignments")
    with op.batch_alter_table("agency_mandates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_mandates_theme_id"))

    op.drop_table("agency_mandates")
    op.drop_table("team_priority_themes")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interactions_officer_id"))
        batch_op.drop_index(batch_op.f("ix_interactions_occurred_at"))

    op.drop_table("interactions")
