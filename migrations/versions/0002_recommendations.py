"""recommendations: response history and links between similar recommendations

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RESPONSES = ("supported", "supported in part", "noted", "not supported", "unknown")


def upgrade() -> None:
    op.create_table(
        "recommendation_response_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column(
            "previous_response",
            sa.Enum(*RESPONSES, name="response", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("previous_response_raw", sa.String(length=200), nullable=False),
        sa.Column(
            "new_response",
            sa.Enum(*RESPONSES, name="response", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("new_response_raw", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("changed_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_recommendation_response_changes_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_response_changes")),
    )
    with op.batch_alter_table("recommendation_response_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_response_changes_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )

    op.create_table(
        "recommendation_links",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("similar_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("shared_states", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_recommendation_links_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["similar_id"],
            ["recommendations.id"],
            name=op.f("fk_recommendation_links_similar_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recommendation_id", "similar_id", name=op.f("pk_recommendation_links")),
    )
    with op.batch_alter_table("recommendation_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendation_links_similar_id"), ["similar_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recommendation_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_links_similar_id"))
    op.drop_table("recommendation_links")
    with op.batch_alter_table("recommendation_response_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_response_changes_recommendation_id"))
    op.drop_table("recommendation_response_changes")
