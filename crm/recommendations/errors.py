"""The error a file as a whole raises: one sentence for the person who chose it."""

from __future__ import annotations


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is one sentence for the person who chose it."""
