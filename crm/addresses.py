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
from flask_babel import lazy_gettext as _l

from crm.i18n import SOURCE_LANGUAGE, current_language


class InvalidEmail(ValueError):
    """An address that cannot be an e-mail address; the message quotes it and says why."""


def normalise_email(address: str) -> str:
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidEmail(
            _(
                "%(address)s is not a valid e-mail address: %(reason)s",
                address=repr(address.strip()),
                reason=why_not_valid(error),
            )
        ) from None


def why_not_valid(error: EmailNotValidError) -> str:
    """Why an address is refused, in the reader's language.

    email-validator explains in English only, in some fifty sentences; English readers get its precise
    one, the others the kind of mistake it names, which is what they need to correct the address.
    """
    reason = str(error)
    if current_language() == SOURCE_LANGUAGE:
        return reason
    for clue, kind in _KINDS_OF_MISTAKE:
        if clue in reason:
            return str(kind)
    return str(_("it is not written as an e-mail address is (name@example.org)."))


# email-validator's words, in the order they are tried, and the kind of mistake each names.
_KINDS_OF_MISTAKE = (
    ('"full-width" at-sign', _l("its @ is a full-width character; type a plain @.")),
    ("small commercial at", _l("its @ is not a plain @; type a plain @.")),
    ("must have an @-sign", _l("it has no @.")),
    ("something before the @-sign", _l("nothing comes before the @.")),
    ("something after the @-sign", _l("nothing comes after the @.")),
    ("too long", _l("it is too long.")),
    ("It should have a period", _l("the part after the @ has no period (as in example.org).")),
    ("period", _l("a period is out of place (two in a row, or at the start or end of a part).")),
    ("hyphen", _l("a hyphen is out of place.")),
    ("before the @-sign", _l("the part before the @ holds characters an address cannot.")),
    ("after the @-sign", _l("the part after the @ is not a valid domain name.")),
    ("character", _l("it holds characters an address cannot.")),
)
