"""The 2018 appeal of Human Rights in China to 20 governments (seed 003), as asks on China's 3rd review."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.asks.services import load_appeal
from crm.demo_files import DEMO_DIR
from crm.reviews.services import get_review
from crm.states import StateResolver


def load_demo() -> list[str]:
    added = load_appeal(DEMO_DIR / "campaign-2018.json", get_review("CHN-3"), StateResolver.from_database())
    return [_("Asks of the 2018 HRIC appeal (seed 003): %(count)s added.", count=added)]
