"""The rules' descriptions (``data/deadline_rules.csv``, ``data/treaty_rules.csv``) in the reader's language.

The rules stay data a coordinator may correct without a release; their descriptions are marked here so
that pybabel extracts them into the catalogues. A description edited in the file no longer matches its
message and reads as written, in English, until it is marked again (``tests/test_calendar_i18n.py`` fails
on a description that is not marked here).
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

RULE_DESCRIPTIONS = (
    _l(
        "Stakeholder (NGO) reports to OHCHR, six to seven months before the review; OHCHR publishes the "
        "exact date per session."
    ),
    _l(
        "OHCHR publishes the national report, the UN compilation and the stakeholders' summary about a "
        "month before the review."
    ),
    _l(
        "UPR Info pre-sessions in Geneva, a month to six weeks before the review: brief recommending "
        "states' missions."
    ),
    _l("States send advance questions about ten days before the review: lobby missions before then."),
    _l("The interactive dialogue in the UPR Working Group."),
    _l(
        "Adoption of the outcome at the Human Rights Council's next regular session, four to five months"
        " later."
    ),
    _l(
        "Mid-term report window, about halfway to the next review: assess implementation and submit a report."
    ),
    _l("The next review, about five years later (the fourth cycle runs from 2022 to 2027)."),
    _l(
        "NGO written information for a treaty body's review of a state: committees usually ask for it "
        "some weeks before the session (estimated six weeks; the committee's session page on OHCHR gives"
        " the exact date)."
    ),
)


def described(text: str) -> str:
    """A rule's description as the reader reads it: translated when it is one of the marked ones."""
    return str(gettext(text)) if text else text
