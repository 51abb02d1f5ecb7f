"""Organisations, contacts, who to brief, teams and the interaction log."""
