"""A small world for the contacts tests: China's third review, three recommending states, their people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.contacts.models import Contact, Organisation, OrganisationKind, SafetyLevel
from crm.db import db
from crm.models import Recommendation, RecommendingState, Response, Review, Theme
from crm.teams.models import Team


@dataclass
class World:
    review: Review
    rec_swe: Recommendation  # 28.83, Sweden and Norway jointly
    rec_che: Recommendation  # 28.176, Switzerland alone
    team: Team
    other_team: Team
    theme: Theme
    asa: Contact  # Swedish mission, human rights counsellor, speaks sv;en
    johan: Contact  # Swedish embassy in Beijing
    lars: Contact  # Swedish embassy in Paris: not in the State-under-Review, never mapped
    maria: Contact  # Swedish ministry, posting ended
    hidden: Contact  # Norwegian mission, at risk, held by ``team``
    ids: dict[str, int]


def build_world() -> World:
    """Stage and commit the world; call inside an app context."""
    team, other_team = Team(name="China team"), Team(name="Other team")
    theme = Theme(name="NON-DISCRIMINATION AND EQUALITY")
    review = Review(state_code="CHN", cycle=3, review_date=date(2018, 11, 6))
    rec_swe = Recommendation(
        review=review,
        number="28.83",
        sort_key=83,
        text="Adopt a law against domestic violence.",
        response=Response.SUPPORTED,
        themes=[theme],
    )
    rec_swe.recommending = [
        RecommendingState(state_code="SWE", position=0),
        RecommendingState(state_code="NOR", position=1),
    ]
    rec_che = Recommendation(
        review=review,
        number="28.176",
        sort_key=176,
        text="End residential surveillance.",
        response=Response.NOTED,
    )
    rec_che.recommending = [RecommendingState(state_code="CHE", position=0)]
    swe_mission = Organisation(
        name="Mission of Sweden", kind=OrganisationKind.MISSION_GENEVA, state_code="SWE", city="Geneva"
    )
    swe_embassy = Organisation(
        name="Embassy of Sweden in Beijing", kind=OrganisationKind.EMBASSY, state_code="SWE", city="Beijing"
    )
    swe_paris = Organisation(
        name="Embassy of Sweden in Paris", kind=OrganisationKind.EMBASSY, state_code="SWE", city="Paris"
    )
    swe_ministry = Organisation(
        name="Swedish MFA", kind=OrganisationKind.CAPITAL_MINISTRY, state_code="SWE", city="Stockholm"
    )
    nor_mission = Organisation(
        name="Mission of Norway", kind=OrganisationKind.MISSION_GENEVA, state_code="NOR", city="Geneva"
    )
    che_mission = Organisation(
        name="Mission of Switzerland", kind=OrganisationKind.MISSION_GENEVA, state_code="CHE", city="Geneva"
    )
    asa = Contact(
        organisation=swe_mission,
        full_name="Åsa Bergström",
        title="Counsellor, Human Rights",
        email="asa@example.org",
        languages="sv;en",
        owner_team=team,
    )
    johan = Contact(
        organisation=swe_embassy,
        full_name="Johan Ekholm",
        title="First Secretary",
        email="johan@example.org",
        languages="en;zh",
        owner_team=team,
    )
    lars = Contact(organisation=swe_paris, full_name="Lars Paris", email="lars@example.org", owner_team=team)
    maria = Contact(
        organisation=swe_ministry,
        full_name="Maria Sundberg",
        email="maria@example.org",
        posting_start=date(2020, 1, 1),
        posting_end=date(2024, 6, 30),
        owner_team=team,
    )
    hidden = Contact(
        organisation=nor_mission,
        full_name="Hidden Person",
        email="hidden@example.org",
        safety_level=SafetyLevel.AT_RISK,
        owner_team=team,
    )
    db.session.add_all([review, team, other_team, asa, johan, lars, maria, hidden, che_mission])
    db.session.commit()
    ids = {
        name: obj.id
        for name, obj in {"asa": asa, "johan": johan, "lars": lars, "maria": maria, "hidden": hidden}.items()
    }
    ids |= {"team": team.id, "other_team": other_team.id, "rec_swe": rec_swe.id, "rec_che": rec_che.id}
    ids |= {
        "theme": theme.id,
        "review": review.id,
        "swe_mission": swe_mission.id,
        "che_mission": che_mission.id,
    }
    return World(review, rec_swe, rec_che, team, other_team, theme, asa, johan, lars, maria, hidden, ids)
