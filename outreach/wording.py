"""The fixed words of a briefing in the language of its template: responses, implementation, review stages,
the salutation and dates, from the gettext catalogues (``crm.i18n``).

Every call names its message literally (``pgettext("response", "supported")``) so that ``pybabel extract``
finds it; the English words are the message ids and match the app's own labels (the tests check).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from gettext import NullTranslations

from crm.i18n import catalogue, long_date
from crm.models import ImplementationStatus, Response


class Wording:
    """A briefing's fixed words in one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._words: NullTranslations = catalogue(language)

    def pgettext(self, context: str, message: str) -> str:
        return self._words.pgettext(context, message)

    def response(self, response: Response) -> str:
        return self._responses[response]

    def implementation(self, status: ImplementationStatus) -> str:
        return self._statuses[status]

    # A briefing names a response and a status for each of its recommendations: each table is worked out once
    # per language, not once a recommendation.
    @cached_property
    def _responses(self) -> dict[Response, str]:
        return {
            Response.SUPPORTED: self.pgettext("response", "supported"),
            Response.SUPPORTED_IN_PART: self.pgettext("response", "supported in part"),
            Response.NOTED: self.pgettext("response", "noted"),
            Response.NOT_SUPPORTED: self.pgettext("response", "not supported"),
            Response.VOLUNTARY_PLEDGE: self.pgettext("response", "voluntary pledge"),
            Response.UNKNOWN: self.pgettext("response", "unknown"),
        }

    @cached_property
    def _statuses(self) -> dict[ImplementationStatus, str]:
        return {
            ImplementationStatus.NOT_ASSESSED: self.pgettext("implementation", "not assessed"),
            ImplementationStatus.NO_PROGRESS: self.pgettext("implementation", "no progress (red)"),
            ImplementationStatus.PARTIAL: self.pgettext("implementation", "partial (orange)"),
            ImplementationStatus.IMPLEMENTED: self.pgettext("implementation", "implemented (green)"),
            ImplementationStatus.REGRESSED: self.pgettext("implementation", "regressed"),
        }

    def stage(self, kind: str) -> str:
        """A stage of the review as a sentence names it: "the pre-session", "la pré-session"."""
        stages = {
            "stakeholder_submission": self.pgettext("stage", "the stakeholder submission deadline"),
            "pre_session": self.pgettext("stage", "the pre-session"),
            "review": self.pgettext("stage", "the review"),
            "adoption": self.pgettext("stage", "the adoption of the outcome by the Human Rights Council"),
            "midterm_report": self.pgettext("stage", "the mid-term report"),
            "visit": self.pgettext("stage", "the visit"),
        }
        return stages.get(kind, kind.replace("_", " "))

    def label(self, kind: str) -> str:
        """A stage's bare name, as templates quote it: "pre-session", « pré-session »."""
        labels = {
            "stakeholder_submission": self.pgettext("stage label", "stakeholder submission"),
            "pre_session": self.pgettext("stage label", "pre-session"),
            "review": self.pgettext("stage label", "review"),
            "adoption": self.pgettext("stage label", "adoption"),
            "midterm_report": self.pgettext("stage label", "mid-term report"),
            "visit": self.pgettext("stage label", "visit"),
        }
        return labels.get(kind, kind.replace("_", " "))

    def ahead_of(self, kind: str, day: date) -> str:
        """ "Ahead of the pre-session on 15 January 2027" (without a full stop: a sentence goes on)."""
        return self.pgettext("trigger", "Ahead of {stage} on {date}").format(
            stage=self.stage(kind), date=self.date(day)
        )

    def unnumbered(self) -> str:
        return self.pgettext("recommendation", "(unnumbered)")

    def date(self, day: date) -> str:
        return long_date(day, self.language)

    def salutation(self, form_of_address: str, family_name: str, full_name: str) -> str:
        """How a letter greets the contact: "Dear Ms Favre," / "Madame,"; never a title before a full name."""
        greetings = {
            "Ms": self.pgettext("salutation", "Dear Ms {family_name},"),
            "Mr": self.pgettext("salutation", "Dear Mr {family_name},"),
            "Mx": self.pgettext("salutation", "Dear Mx {family_name},"),
            "Dr": self.pgettext("salutation", "Dear Dr {family_name},"),
            "Excellency": self.pgettext("salutation", "Your Excellency,"),
        }
        greeting = greetings.get(form_of_address, self.pgettext("salutation", "Dear {full_name},"))
        family = family_name.strip() or (full_name.split() or [""])[-1]
        return greeting.format(family_name=family, full_name=full_name)
