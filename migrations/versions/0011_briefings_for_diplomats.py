"""Briefings fit for a diplomat and campaigns that can be changed: a contact's form of address and family
name, a signature per team, the team that signs a campaign, and deleted drafts kept for an undo

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm.db

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("form_of_address", sa.String(length=20), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("family_name", sa.String(length=120), server_default="", nullable=False)
        )
    op.create_table(
        "outreach_signatures",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=250), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("updated_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_outreach_signatures_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_outreach_signatures")),
    )
    with op.batch_alter_table("outreach_campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", crm.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outreach_campaigns_team_id_teams"),
            "teams",
            ["team_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("outreach_campaigns", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outreach_campaigns_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("team_id")
    op.drop_table("outreach_signatures")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("family_name")
        batch_op.drop_column("form_of_address")
