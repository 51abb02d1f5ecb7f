"""outreach: briefing templates, campaigns, holds, the outbox, factsheet attachments and daily chores

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "outreach_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_outreach_templates_name")),
    )
    op.create_table(
        "outreach_template_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("updated_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["outreach_templates.id"],
            name=op.f("fk_outreach_template_translations_template_id_outreach_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_template_translations")),
        sa.UniqueConstraint(
            "template_id", "language", name=op.f("uq_outreach_template_translations_template_id")
        ),
    )
    op.create_table(
        "outreach_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("asks", sa.Text(), nullable=False),
        sa.Column("send_at", crm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deadline_kind", sa.String(length=32), nullable=True),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("weekdays_only", sa.Boolean(), nullable=False),
        sa.Column("attach_factsheets", sa.Boolean(), nullable=False),
        sa.Column("status", _enum("campaignstatus", "draft", "approved", "sending", "done"), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", crm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_outreach_campaigns_approved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_outreach_campaigns_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_outreach_campaigns_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["outreach_templates.id"],
            name=op.f("fk_outreach_campaigns_template_id_outreach_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_campaigns")),
    )
    op.create_index(op.f("ix_outreach_campaigns_review_id"), "outreach_campaigns", ["review_id"])
    op.create_index(op.f("ix_outreach_campaigns_status"), "outreach_campaigns", ["status"])
    op.create_table(
        "outreach_campaign_themes",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["outreach_campaigns.id"],
            name=op.f("fk_outreach_campaign_themes_campaign_id_outreach_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_outreach_campaign_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "theme_id", name=op.f("pk_outreach_campaign_themes")),
    )
    op.create_table(
        "outreach_holds",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("held_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["outreach_campaigns.id"],
            name=op.f("fk_outreach_holds_campaign_id_outreach_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_outreach_holds_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["held_by_id"], ["users.id"], name=op.f("fk_outreach_holds_held_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("campaign_id", "contact_id", name=op.f("pk_outreach_holds")),
    )
    op.create_table(
        "outreach_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("kind", _enum("messagekind", "briefing", "reminder"), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("to_name", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("status", _enum("messagestatus", "queued", "sending", "sent", "failed"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", crm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", crm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", crm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("weekdays_only", sa.Boolean(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["outreach_campaigns.id"],
            name=op.f("fk_outreach_outbox_campaign_id_outreach_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_outreach_outbox_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_outreach_outbox_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outreach_outbox_idempotency_key")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outreach_outbox_message_id")),
    )
    op.create_index(op.f("ix_outreach_outbox_campaign_id"), "outreach_outbox", ["campaign_id"])
    op.create_index(op.f("ix_outreach_outbox_contact_id"), "outreach_outbox", ["contact_id"])
    op.create_index("ix_outreach_outbox_due", "outreach_outbox", ["status", "next_attempt_at"])
    op.create_table(
        "outreach_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", crm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["outreach_campaigns.id"],
            name=op.f("fk_outreach_attachments_campaign_id_outreach_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_outreach_attachments_theme_id_themes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_attachments")),
        sa.UniqueConstraint("campaign_id", "theme_id", name=op.f("uq_outreach_attachments_campaign_id")),
    )
    op.create_table(
        "outreach_message_attachments",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["outreach_attachments.id"],
            name=op.f("fk_outreach_message_attachments_attachment_id_outreach_attachments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outreach_outbox.id"],
            name=op.f("fk_outreach_message_attachments_message_id_outreach_outbox"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", "attachment_id", name=op.f("pk_outreach_message_attachments")),
    )
    op.create_table(
        "outreach_daily_runs",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("last_run_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_outreach_daily_runs")),
    )


def downgrade() -> None:
    op.drop_table("outreach_daily_runs")
    op.drop_table("outreach_message_attachments")
    op.drop_table("outreach_attachments")
    op.drop_table("outreach_outbox")
    op.drop_table("outreach_holds")
    op.drop_table("outreach_campaign_themes")
    op.drop_table("outreach_campaigns")
    op.drop_table("outreach_template_translations")
    op.drop_table("outreach_templates")
