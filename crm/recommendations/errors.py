"""The error a file as a whole raises: one sentence for the person who chose it."""

from __future__ import annotations

from flask_babel import gettext as _


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is one sentence for the person who chose it."""


def nothing_imported(error: Exception) -> str:
    """The file's error as one sentence that also says nothing was written."""
    return str(_("%(error)s. Nothing was imported.", error=str(error).rstrip(".。")))
