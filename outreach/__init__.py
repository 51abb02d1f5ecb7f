"""Outreach: briefing templates, campaigns, the outbox, the sweep and SMTP."""
