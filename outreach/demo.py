"""The demo campaign: an approved briefing on CHN-3 that falls due the moment the demo is loaded."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from crm.auth.services import find_user
from crm.contacts.demo import DEMO_EMAIL, DEMO_TEAM
from crm.db import db, utcnow
from crm.reviews.services import find_review
from crm.teams.models import Team
from outreach.models import Campaign, CampaignStatus, Signature
from outreach.rendering import ensure_default_template

DEMO_CAMPAIGN = "CHN-3: what your state recommended to China (demo)"
DEMO_ASKS = (
    "Ask China, at its next review, what it has done on the recommendations you made.\n"
    "Raise the recommendations marked 'no progress' in your bilateral human-rights dialogue."
)


def load_demo() -> list[str]:
    template = ensure_default_template()
    review = find_review("CHN-3")
    if review is None:
        return [_("Demo campaign: skipped (the CHN-3 review is not loaded).")]
    if db.session.scalar(select(Campaign).where(Campaign.name == DEMO_CAMPAIGN)) is not None:
        return [_("Demo campaign: already loaded.")]
    approver = find_user(DEMO_EMAIL)
    now = utcnow()
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    if team is not None and db.session.get(Signature, team.id) is None:
        db.session.add(
            Signature(
                team_id=team.id,
                name="Demo Coordinator, UN advocacy (invented)",
                organisation="China Advocacy Network (demo)",
                address="Rue de l'Exemple 1, 1201 Genève\noutreach@example.org",
            )
        )
    db.session.add(
        Campaign(
            name=DEMO_CAMPAIGN,
            review=review,
            template=template,
            asks=DEMO_ASKS,
            send_at=now,
            team_id=team.id if team else None,
            # Every day counts, so each recipient's working hours come round within a day of loading.
            weekdays_only=False,
            status=CampaignStatus.APPROVED,
            created_by_id=approver.id if approver else None,
            approved_by_id=approver.id if approver else None,
            approved_at=now,
        )
    )
    return [_("Demo campaign: approved and due now; run `upr outreach sweep` to send it (see the Outbox).")]
