"""Who to brief: computed from recommendations, organisations and the interaction log, never copied by hand.

- recommendation → people at the organisations of each recommending state (mission in Geneva, embassy in the
  State-under-Review's capital, ministry in the capital), most relevant first;
- theme → UN agencies whose mandate covers it (``AgencyMandate``, editable);
- contact → the recommendations their own state made in a review, with the response and implementation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, ScalarSelect, Subquery, and_, func, or_, select
from sqlalchemy.orm import contains_eager

from crm import dates
from crm.auth.models import User
from crm.contacts.capitals import sur_capital
from crm.contacts.models import (
    AgencyMandate,
    Contact,
    Interaction,
    Organisation,
    OrganisationKind,
    interaction_contacts,
)
from crm.contacts.privacy import visible_contacts_clause
from crm.db import db
from crm.models import ImplementationStatus, Recommendation, RecommendingState, Response, Review

# A mission in Geneva follows the UPR itself; the embassy follows implementation; the ministry decides.
KIND_WEIGHT = {
    OrganisationKind.MISSION_GENEVA: 30,
    OrganisationKind.EMBASSY: 20,
    OrganisationKind.CAPITAL_MINISTRY: 10,
}
ROLE_WORDS = ("human rights", "upr", "universal periodic", "human rights council", "droits de l")
ROLE_WEIGHT = 5
FIRST_LANGUAGE_WEIGHT = 3
OTHER_LANGUAGE_WEIGHT = 1


@dataclass(frozen=True)
class RankedContact:
    """A person to brief about a recommendation and why they rank where they do."""

    contact: Contact
    state_code: str
    kind: OrganisationKind
    score: int
    last_contacted_at: datetime | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BasisItem:
    """One recommendation a contact's state made: the basis of that contact's briefing."""

    recommendation_id: int
    number: str
    text: str
    response: Response
    status: ImplementationStatus
    recommending_states: tuple[str, ...]
    # The UN's versions in other languages, where a file gave them (language -> text).
    translations: dict[str, str] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "text": self.text,
            "response": self.response.value,
            "status": self.status.value,
            "recommending_states": list(self.recommending_states),
        }


def last_contact_subquery() -> Subquery:
    """Each contact's most recent interaction, for ranking and for coverage."""
    return (
        select(
            interaction_contacts.c.contact_id.label("contact_id"),
            func.max(Interaction.occurred_at).label("last_at"),
        )
        .join(Interaction, Interaction.id == interaction_contacts.c.interaction_id)
        .group_by(interaction_contacts.c.contact_id)
        .subquery("last_contact")
    )


def _last_contacted_at() -> ScalarSelect[datetime]:
    """A contact's latest interaction, correlated to the outer query's row (one index lookup each)."""
    return (
        select(func.max(Interaction.occurred_at))
        .join(interaction_contacts, interaction_contacts.c.interaction_id == Interaction.id)
        .where(interaction_contacts.c.contact_id == Contact.id)
        .correlate(Contact)
        .scalar_subquery()
    )


def current_posting_clause(on: date) -> ColumnElement[bool]:
    return and_(
        or_(Contact.posting_start.is_(None), Contact.posting_start <= on),
        or_(Contact.posting_end.is_(None), Contact.posting_end >= on),
        Contact.archived_at.is_(None),
    )


def contacts_for_recommendation(
    recommendation: Recommendation,
    *,
    viewer: User | None = None,
    language: str = "en",
    on: date | None = None,
) -> list[RankedContact]:
    """People to brief about ``recommendation``, most relevant first.

    ``viewer`` None (scripts, exports) never sees at-risk contacts; a user sees what ``may_see_contact``
    allows. Only current postings at live organisations count.
    """
    on = on or dates.today()
    review: Review = recommendation.review
    capital = sur_capital(review.state_code)
    sur_name = review.state.name
    query = (
        select(Contact, _last_contacted_at())
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .join(RecommendingState, RecommendingState.state_code == Organisation.state_code)
        .where(
            RecommendingState.recommendation_id == recommendation.id,
            Organisation.archived_at.is_(None),
            _in_state_under_review(capital, sur_name),
            current_posting_clause(on),
            visible_contacts_clause(viewer),
        )
        .options(contains_eager(Contact.organisation))
    )
    # The kind is checked here, not in SQL: given ``kind IN (...)``, SQLite walks the kind index over every
    # organisation instead of starting from the recommendation (measured: 20 times slower at 20,000 people).
    ranked = [
        _rank(contact, contact.organisation, last_at, language)
        for contact, last_at in db.session.execute(query)
        if contact.organisation.kind in KIND_WEIGHT
    ]
    ranked.sort(
        key=lambda r: (
            -r.score,
            -(r.last_contacted_at.timestamp() if r.last_contacted_at else 0.0),
            r.contact.full_name.casefold(),
        )
    )
    return ranked


def _in_state_under_review(capital: str | None, sur_name: str) -> ColumnElement[bool]:
    """Missions and ministries always; an embassy only in the State-under-Review (capital, or named so)."""
    named = f"%{sur_name}%"
    embassy_there = or_(Organisation.name.ilike(named), Organisation.city.ilike(named))
    if capital:
        embassy_there = or_(embassy_there, func.lower(Organisation.city) == capital.lower())
    return or_(Organisation.kind != OrganisationKind.EMBASSY, embassy_there)


def _rank(
    contact: Contact, organisation: Organisation, last_at: datetime | None, language: str
) -> RankedContact:
    kind = organisation.kind
    score = KIND_WEIGHT[kind]
    reasons = [kind.label]
    title = contact.title.casefold()
    if any(word in title for word in ROLE_WORDS):
        score += ROLE_WEIGHT
        reasons.append(_("works on human rights"))
    languages = [tag.split("-", maxsplit=1)[0].strip().casefold() for tag in contact.languages.split(";")]
    wanted = language.split("-", maxsplit=1)[0].casefold()
    if languages[0] == wanted:
        score += FIRST_LANGUAGE_WEIGHT
        reasons.append(_("first language %(language)s", language=language))
    elif wanted in languages:
        score += OTHER_LANGUAGE_WEIGHT
        reasons.append(_("speaks %(language)s", language=language))
    # An ISO day: the reasons are also a column of ``upr who-to-brief``, which scripts read.
    reasons.append(
        _("last contacted %(day)s", day=f"{last_at:%Y-%m-%d}") if last_at else _("never contacted")
    )
    return RankedContact(contact, organisation.state_code or "", kind, score, last_at, tuple(reasons))


def agencies_for_themes(theme_ids: list[int]) -> list[Organisation]:
    """UN agencies whose mandate covers any of ``theme_ids``, and those whose mandate covers every theme."""
    covers: ColumnElement[bool] = AgencyMandate.theme_id.is_(None)
    if theme_ids:
        covers = or_(covers, AgencyMandate.theme_id.in_(theme_ids))
    query = (
        select(Organisation)
        .where(
            Organisation.archived_at.is_(None),
            Organisation.id.in_(select(AgencyMandate.organisation_id).where(covers)),
        )
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(query))


def briefing_basis(contact: Contact, review: Review) -> list[BasisItem]:
    """What the contact's own state recommended in ``review``, with the response and implementation status."""
    state_code = contact.organisation.state_code
    if state_code is None:
        return []
    rows = db.session.execute(
        select(
            Recommendation.id,
            Recommendation.number,
            Recommendation.text,
            Recommendation.response,
            Recommendation.implementation_status,
        )
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .where(Recommendation.review_id == review.id, RecommendingState.state_code == state_code)
        .order_by(Recommendation.sort_key)
    ).all()
    if not rows:
        return []
    joint: dict[int, list[str]] = defaultdict(list)
    links = select(RecommendingState.recommendation_id, RecommendingState.state_code).where(
        RecommendingState.recommendation_id.in_([row.id for row in rows])
    )
    for recommendation_id, code in db.session.execute(
        links.order_by(RecommendingState.recommendation_id, RecommendingState.position)
    ):
        joint[recommendation_id].append(code)
    return [
        BasisItem(
            row.id, row.number or "", row.text, row.response, row.implementation_status, tuple(joint[row.id])
        )
        for row in rows
    ]


def reviews_recommended_by(state_code: str) -> list[Review]:
    """Reviews in which ``state_code`` made at least one recommendation, newest cycle first."""
    query = (
        select(Review)
        .where(
            Review.id.in_(
                select(Recommendation.review_id)
                .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
                .where(RecommendingState.state_code == state_code)
            )
        )
        .order_by(Review.cycle.desc(), Review.state_code)
    )
    return list(db.session.scalars(query))
