"""asks: an organisation's proposed recommendations and the governments they were sent to

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm.db

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=250), nullable=False),
        sa.Column("theme", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent", sa.String(length=10), nullable=False),
        sa.Column("other_addressees", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_asks_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asks")),
    )
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asks_review_id"), ["review_id"], unique=False)
    op.create_table(
        "ask_targets",
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["ask_id"], ["asks.id"], name=op.f("fk_ask_targets_ask_id_asks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_ask_targets_state_code_states")
        ),
        sa.PrimaryKeyConstraint("ask_id", "state_code", name=op.f("pk_ask_targets")),
    )
    with op.batch_alter_table("ask_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ask_targets_state_code"), ["state_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ask_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ask_targets_state_code"))
    op.drop_table("ask_targets")
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asks_review_id"))
    op.drop_table("asks")
