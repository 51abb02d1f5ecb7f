"""Text people type or import: one check for length and control characters, on every way in.

A NUL byte is refused by PostgreSQL (a database error) and silently kept by SQLite; other control
characters hide text from readers and break CSV, iCal and e-mail headers. So every text field has a
documented limit (:data:`LIMITS`), and text is refused, with a sentence naming the field, when it holds a
control character other than a tab or (where the field may hold several lines) a line break.

:func:`clean_text` is for forms, commands and importers, which say which field and row was wrong;
:func:`guard_session` is the net under them: no ORM flush stores text that breaks these rules.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from crm.dates import format_number

# The documented limits (README, "Security"), in characters.
NAME = 200  # names, titles, subjects, labels
LINE = 500  # one line of free text: a website, a city, an address line
NOTES = 20_000  # notes, summaries, outcomes, assessments: about ten pages
DOCUMENT = 200_000  # templates and rendered messages
LIMITS = {"name": NAME, "line": LINE, "notes": NOTES, "document": DOCUMENT}
# The net's limit for text columns without a length of their own (String(n) columns have n): well above
# every field's limit and every bounded render (outreach.rendering), far below what would hurt.
UNSIZED_COLUMN_LIMIT = 1_000_000

# C0 controls and DEL, and the C1 controls; tab, LF and CR are decided by the caller.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n]")
# The bytes of printable ASCII, which ``bytes.translate`` deletes to leave any other.
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


class TextError(ValueError):
    """Text that cannot be stored; the message names the field and says why, in one sentence."""


def text_problem(value: str, limit: int, field: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored in ``field``, or None when it can."""
    if len(value) > limit:
        return str(
            _(
                "%(field)s is too long: at most %(limit)s characters, not %(length)s.",
                field=field,
                limit=format_number(limit),
                length=format_number(len(value)),
            )
        )
    bad = _CONTROL.search(value) or (None if multiline else _LINE_BREAK.search(value))
    if bad is not None:
        char, position = bad.group(), bad.start() + 1
        if char in "\r\n":
            return str(
                _(
                    "%(field)s holds a line break at character %(position)s; remove it and try again.",
                    field=field,
                    position=position,
                )
            )
        return str(
            _(
                "%(field)s holds a control character (%(character)s) at character %(position)s; remove it "
                "and try again.",
                field=field,
                character="NUL" if char == "\x00" else f"U+{ord(char):04X}",
                position=position,
            )
        )
    return None


def clean_text(value: object, limit: int, field: str, *, multiline: bool = False) -> str:
    """``value`` as stored text (stripped; CRLF and CR become LF), or :class:`TextError` with one sentence."""
    text = "" if value is None else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    problem = text_problem(text, limit, field, multiline=multiline)
    if problem:
        raise TextError(problem)
    return text


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a control character that no field accepts (tab and line breaks aside)."""
    return _CONTROL.search(value) is not None


def printable(value: str) -> bool:
    """``value.isprintable()``, in a fraction of its time for ASCII text: an import tests every row's cells
    with it (where the ASCII ones are bytes 0x20 to 0x7E)."""
    if value.isascii():
        return not value.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return value.isprintable()


def _column_limit(column: Any) -> int:
    length = getattr(column.type, "length", None)
    return int(length) if length else UNSIZED_COLUMN_LIMIT


def _check_object(instance: object, *, is_new: bool) -> None:
    mapper = getattr(instance, "__mapper__", None)
    if mapper is None:
        return
    state = inspect(instance)
    for attribute in mapper.column_attrs:
        column = attribute.columns[0]
        if not isinstance(column.type, String):
            continue
        # Only what this flush writes: a row stored before these rules must stay editable.
        if not is_new and not state.attrs[attribute.key].history.has_changes():
            continue
        value = getattr(instance, attribute.key, None)
        if not isinstance(value, str):
            continue
        label = f"{mapper.class_.__name__}.{attribute.key}"
        # Stored text may hold line breaks (notes, bodies); single-line fields are kept single-line by
        # their forms. What no column may hold is a control character or more than its limit.
        problem = text_problem(value, _column_limit(column), label, multiline=True)
        if problem:
            raise TextError(problem)


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    for instance in session.new:
        _check_object(instance, is_new=True)
    for instance in session.dirty:
        _check_object(instance, is_new=False)


def guard_session(session_factory: Any) -> None:
    """Refuse, on every flush of sessions from ``session_factory``, text that breaks the rules above."""
    if not event.contains(session_factory, "before_flush", _before_flush):
        event.listen(session_factory, "before_flush", _before_flush)
