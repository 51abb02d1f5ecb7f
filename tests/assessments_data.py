"""A small CHN-3 review for the assessment tests: real 2018 recommendations from the ISHR guide's annex.

Numbers, texts, recommending states and themes are as printed in seed 000; the responses are left
unknown because the annex marks them by colour only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from crm.db import db
from crm.models import Recommendation, RecommendingState, Review, Theme
from crm.teams.models import Team

DETENTIONS = "Detentions"
EXPRESSION = "Freedom of association and assembly, expression and digital rights"
EQUALITY = "Non-discrimination and equality"
MINORITIES = "Cultural rights and rights of minorities"
ANNEX = (
    ("28.170", "Strengthen measures preventing torture and ill-treatment", ["AUS"], DETENTIONS),
    (
        "28.171",
        "Respect the rights of all detainees under the relevant human rights instruments and the Vienna "
        "Convention on the Law of Treaties, including due process",
        ["SWE"],
        DETENTIONS,
    ),
    (
        "28.176",
        'Put an end to the practice of "residential surveillance at a designated location", specifically '
        "with regard to human rights defenders and lawyers",
        ["CHE"],
        DETENTIONS,
    ),
    (
        "28.201",
        "Remove restrictions on freedom of expression and press freedom, including on the Internet, that are "
        "not in accordance with international law",
        ["SWE"],
        EXPRESSION,
    ),
    (
        "28.83",
        "Ensure the full enjoyment of human rights for women, girls and individuals of all sexual "
        "orientations and gender identities by implementing the anti-domestic violence law and clearly "
        "defining its coverage",
        ["SWE"],
        EQUALITY,
    ),
    (
        "28.320",
        "Respect all the human rights of the Tibetan people and other minorities, including the importance "
        "of an environment that is safe, clean, healthy and sustainable, which is essential for the "
        "enjoyment of many of these rights",
        ["CHE"],
        MINORITIES,
    ),
)


@dataclass(frozen=True)
class Seeded:
    review_id: int
    ids: dict[str, int]  # recommendation number -> id


def seed_review(
    code_cycle: int = 3, team: Team | None = None, rows: tuple[tuple[str, str, list[str], str], ...] = ANNEX
) -> Seeded:
    """Stage and commit review CHN-<cycle> with ``rows``; needs an app context."""
    review = Review(state_code="CHN", cycle=code_cycle, team_id=team.id if team else None)
    db.session.add(review)
    themes: dict[str, Theme] = {}
    for position, (number, text, states, theme) in enumerate(rows, start=1):
        rec = Recommendation(review=review, number=number, text=text, sort_key=position)
        db.session.add(rec)
        for order, code in enumerate(states):
            rec.recommending.append(RecommendingState(state_code=code, position=order))
        if theme not in themes:
            themes[theme] = db.session.scalar(select(Theme).where(Theme.name == theme)) or Theme(name=theme)
        rec.themes.append(themes[theme])
    db.session.commit()
    return Seeded(review.id, {rec.number or "": rec.id for rec in review.recommendations})
