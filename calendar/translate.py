"""gettext and ngettext for the calendar's messages, typed: Flask-Babel's return ``Any`` to mypy.

pybabel extracts the calls by their names (``_``, ``ngettext``), so messages here are found like any other.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import ngettext as babel_ngettext


def _(message: str, **values: object) -> str:
    """``message`` in the current language with its named placeholders filled in."""
    return str(gettext(message, **values))


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    """The form of the message for ``num`` (named ``%(num)d`` in it) in the current language."""
    return str(babel_ngettext(singular, plural, num, **values))
