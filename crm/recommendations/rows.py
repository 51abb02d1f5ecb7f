"""A checked row of an export, and what tells one recommendation of a review from another."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crm.models import Response
from crm.states import normalise_name
from crm.text import printable

_NUMBER = re.compile(r"^(\d{1,5})\.(\d{1,4})$")


# ``__init__`` is written out rather than generated: a compiled build (``compiled``) runs a written one as C,
# a generated one as Python, and every row of a file makes one.
@dataclass(slots=True, init=False)
class ParsedRow:
    row: int
    number: str | None
    text: str
    codes: tuple[str, ...]
    response: Response
    response_raw: str
    response_source: str | None
    themes: tuple[str, ...]
    affected_persons: str | None
    sdgs: str | None
    action_category: int | None
    source_note: str | None
    state_code: str | None = None
    cycle: int | None = None
    session: int | None = None
    # ``wording_key(text)``, worked out once when asked for ("" until then): an unnumbered row is known by
    # it, a numbered one needs it only to be told from another with the same number.
    wording: str = field(default="", repr=False)

    def __init__(  # noqa: PLR0917 - the fields in order, positional as the generated one took them
        self,
        row: int,
        number: str | None,
        text: str,
        codes: tuple[str, ...],
        response: Response,
        response_raw: str,
        response_source: str | None,
        themes: tuple[str, ...],
        affected_persons: str | None,
        sdgs: str | None,
        action_category: int | None,
        source_note: str | None,
        state_code: str | None = None,
        cycle: int | None = None,
        session: int | None = None,
        wording: str = "",
    ) -> None:
        self.row = row
        self.number = number
        self.text = text
        self.codes = codes
        self.response = response
        self.response_raw = response_raw
        self.response_source = response_source
        self.themes = themes
        self.affected_persons = affected_persons
        self.sdgs = sdgs
        self.action_category = action_category
        self.source_note = source_note
        self.state_code = state_code
        self.cycle = cycle
        self.session = session
        self.wording = wording

    @property
    def key(self) -> str:
        return self.number or self.wording_key

    @property
    def wording_key(self) -> str:
        if not self.wording:
            self.wording = wording_key(self.text)
        return self.wording

    @staticmethod
    def key_for(number: str | None, text: str) -> str:
        """What identifies a recommendation within its review: its number, else its wording."""
        return number or wording_key(text)

    @property
    def sort_key(self) -> int | None:
        match = _NUMBER.match(self.number) if self.number else None
        return int(match[1]) * 10_000 + int(match[2]) if match else None


def wording_key(text: str) -> str:
    """The wording with case, spacing and a final full stop or semicolon ignored.

    ``normalise_name`` says what is ignored; plain ASCII, which most wordings are, takes a shorter way to
    the same key (Unicode normalisation leaves ASCII as it is, and splitting on whitespace is what
    ``normalise_name``'s patterns do), because every row of a file needs its key.
    """
    if not text.isascii():
        return "text:" + normalise_name(text).rstrip(" .;")
    folded = text.lower()
    if "`" in folded:
        folded = folded.replace("`", "'")
    # Printable ASCII has no whitespace but the space: without two in a row or one at either end, the
    # spacing is already what normalising it would make it.
    if not printable(folded) or "  " in folded or folded[:1] == " " or folded[-1:] == " ":
        folded = " ".join(folded.split())
    if folded.startswith("the "):
        folded = folded[4:]
    return "text:" + folded.rstrip(" .;")
