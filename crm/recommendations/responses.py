"""Turning the many ways a State's position is written into the normalised responses.

UPR Info writes Accepted or Supported, Noted, Supported/Noted (supported in part), Voluntary Pledge
(a commitment of the State itself, its own kind, not a refusal) and Pending; OHCHR's addenda and
matrices use longer wordings ("accepted and already implemented", "supported in part", "does not enjoy
the support").
Exact wordings are looked up first, then a few word patterns; anything else is refused rather than
guessed, because a wrong response misleads every count built on it.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from crm.models import Response

_EXACT = {
    "supported": Response.SUPPORTED,
    "accepted": Response.SUPPORTED,
    "agreed": Response.SUPPORTED,
    "enjoys the support": Response.SUPPORTED,
    "supported in part": Response.SUPPORTED_IN_PART,
    "partially supported": Response.SUPPORTED_IN_PART,
    "partially accepted": Response.SUPPORTED_IN_PART,
    "accepted in part": Response.SUPPORTED_IN_PART,
    "supported partially": Response.SUPPORTED_IN_PART,
    "supported noted": Response.SUPPORTED_IN_PART,
    "noted": Response.NOTED,
    "taken note": Response.NOTED,
    "takes note": Response.NOTED,
    "not supported": Response.NOT_SUPPORTED,
    "not accepted": Response.NOT_SUPPORTED,
    "rejected": Response.NOT_SUPPORTED,
    "does not enjoy the support": Response.NOT_SUPPORTED,
    "voluntary pledge": Response.VOLUNTARY_PLEDGE,
    "pledge": Response.VOLUNTARY_PLEDGE,
    "unknown": Response.UNKNOWN,
    "pending": Response.UNKNOWN,
    "no response": Response.UNKNOWN,
    "no clear position": Response.UNKNOWN,
    "": Response.UNKNOWN,
}
# Checked in order: "not supported" must win over "supported", "partially supported" over both.
_PATTERNS = (
    (re.compile(r"\b(partial|partially|in part)\b"), Response.SUPPORTED_IN_PART),
    (
        re.compile(r"\b(not (supported|accepted)|does not (enjoy|accept|support)|reject)"),
        Response.NOT_SUPPORTED,
    ),
    (re.compile(r"\bnot(ed|e)\b"), Response.NOTED),
    (re.compile(r"\b(accept|support|agree|already implemented)"), Response.SUPPORTED),
)
ACCEPTED_WORDINGS = (
    "supported, accepted, supported in part, supported/noted, noted, not supported, voluntary pledge, pending"
)


class UnknownResponse(ValueError):
    pass


def _key(raw: str) -> str:
    return re.sub(r"[^a-z]+", " ", raw.casefold()).strip()


def normalise_response(raw: str) -> Response:
    """The normalised response for ``raw``; raises ``UnknownResponse`` for wording nobody recognises."""
    key = _key(raw)
    exact = _EXACT.get(key)
    if exact is not None:
        return exact
    for pattern, response in _PATTERNS:
        if pattern.search(key):
            return response
    raise UnknownResponse(
        _(
            "response %(response)s is not recognised (use e.g. %(wordings)s)",
            response=repr(raw.strip()),
            wordings=ACCEPTED_WORDINGS,
        )
    )
