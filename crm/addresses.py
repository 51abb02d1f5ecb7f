"""E-mail addresses as people type them, checked and written one way for users and contacts alike.

The whole address is lower-cased. RFC 5321 lets a server treat the local part's case as meaningful, but
none that officers write to does, and one form is what lets the unique columns see that
"Anna.Berg@GOV.se" and "anna.berg@gov.se" are one person. Internationalised domains stay readable
(IDNA happens on the wire). No DNS lookups: the app runs where there may be none, and a mistyped domain
shows as a bounce instead.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _


class InvalidEmail(ValueError):
    """An address that cannot be an e-mail address; the message quotes it and says why."""


def normalise_email(address: str) -> str:
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        # The reason after the colon is email-validator's own sentence, which is written in English only.
        raise InvalidEmail(
            _(
                "%(address)s is not a valid e-mail address: %(reason)s",
                address=repr(address.strip()),
                reason=error,
            )
        ) from None
