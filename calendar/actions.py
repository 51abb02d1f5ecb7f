"""What must be done for a deadline: links other areas add to each deadline of a review.

The calendar knows the dates but not the work: briefing campaigns live in ``outreach``, which builds on the
calendar and so cannot be imported by it. An area registers a provider with the app; the review's deadline
page asks every provider for the links that belong to each deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask.sansio.app import App

from crm.models import Review
from upr_calendar.models import DeadlineKind

_EXTENSION = "upr_calendar.deadline_actions"


@dataclass(frozen=True)
class DeadlineAction:
    label: str
    url: str


ActionProvider = Callable[[Review, DeadlineKind], list[DeadlineAction]]


def register_deadline_actions(app: App, provider: ActionProvider) -> None:
    providers: list[ActionProvider] = app.extensions.setdefault(_EXTENSION, [])
    providers.append(provider)


def deadline_actions(review: Review, kind: DeadlineKind) -> list[DeadlineAction]:
    providers: list[ActionProvider] = current_app.extensions.get(_EXTENSION, [])
    return [action for provider in providers for action in provider(review, kind)]
