"""The coverage panel on the dashboard: states nobody can brief, ended postings, missions gone quiet."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm import dates
from crm.contacts.coverage import ended_postings, missions_not_contacted, states_without_contact
from crm.db import db
from crm.panels import Panel
from crm.teams.models import Team


def panels() -> list[Panel]:
    today = dates.today()
    team_ids = sorted(current_user.team_ids)
    team = (
        db.session.scalar(select(Team).where(Team.id.in_(team_ids)).order_by(Team.name)) if team_ids else None
    )
    gaps = states_without_contact(team, today) if team else []
    ended = ended_postings(today, current_user)
    since, quiet = missions_not_contacted(today)
    return [
        Panel(
            title=_("Coverage gaps"),
            template="contacts/_coverage_panel.html",
            context={
                "team": team,
                "gaps": gaps[:8],
                "gap_count": len(gaps),
                "ended": ended[:8],
                "ended_count": len(ended),
                "quiet_since": since,
                "quiet": quiet[:8],
                "quiet_count": len(quiet),
            },
            order=40,
        )
    ]
