"""Turning one row of an export into a checked recommendation, or into a problem with its row number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.models import Response
from crm.recommendations.classify import parse_category
from crm.recommendations.layouts import Layout, Record
from crm.recommendations.responses import UnknownResponse, normalise_response
from crm.states import StateResolver, UnknownState, normalise_name

MAX_TEXT = 10_000
MAX_NUMBER = 20
MAX_RAW_RESPONSE = 200
MAX_THEME = 120
MAX_CACHED = 10_000
# A bare formula sign would run in a spreadsheet; a leading apostrophe is how exports (ours included)
# escape one, so "'=x" is data and is stored as "=x" (exports escape it again).
FORMULA_SIGNS = ("=", "+", "@")
_SIGNS = frozenset("'=+@-–•")
_BULLET = re.compile(r"^[-–•]\s+")
_NUMBER = re.compile(r"^(\d{1,5})\.(\d{1,4})$")
_THEME_CODE = re.compile(r"^[A-Z]\d{1,2}\s+")
_LIST_SPLIT = {"upr-info": re.compile(r"\s*[;,\n]\s*"), "uhri": re.compile(r"\s*[;,\n]\s*")}
_DEFAULT_SPLIT = re.compile(r"\s*[;\n]\s*")


class RowProblem(ValueError):
    pass


@dataclass(slots=True)
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
    action_category: int | None
    source_note: str | None

    @property
    def key(self) -> str:
        return self.key_for(self.number, self.text)

    @staticmethod
    def key_for(number: str | None, text: str) -> str:
        """What identifies a recommendation within its review: its number, else its wording."""
        return number or "text:" + normalise_name(text)

    @property
    def sort_key(self) -> int | None:
        match = _NUMBER.match(self.number or "")
        return int(match[1]) * 10_000 + int(match[2]) if match else None


def clean_cell(value: str, field: str) -> str:
    """``value`` without an escaping apostrophe or a list bullet; a bare formula sign is a problem."""
    if value[0] not in _SIGNS:
        return value
    if value.startswith("'") and value[1:2] in (*FORMULA_SIGNS, "-"):
        return value[1:]
    if value.startswith(FORMULA_SIGNS) or (value.startswith("-") and not _BULLET.match(value)):
        raise RowProblem(
            f"the {field.replace('_', ' ')} cell starts with {value[0]!r}, which a spreadsheet runs as a "
            "formula; remove the sign or put an apostrophe before it"
        )
    return _BULLET.sub("", value)


class RowParser:
    """Checks rows against the resolver and the review's State; caches what repeats (states, responses)."""

    def __init__(self, layout: Layout, resolver: StateResolver, review_state: str) -> None:
        self.layout = layout
        self.resolver = resolver
        self.review_state = review_state
        self._split = _LIST_SPLIT.get(layout.format.name, _DEFAULT_SPLIT)
        self._states: dict[str, tuple[str, ...]] = {}
        self._responses: dict[str, Response] = {}
        self._themes: dict[str, tuple[str, ...]] = {}

    def parse(self, row: int, record: Record) -> ParsedRow:
        # The sign test is inlined because it runs for every cell of every row; most cells pass it.
        cells = {
            name: value if value[0] not in _SIGNS else clean_cell(value, name)
            for name, value in record.items()
            if value
        }
        text = cells.get("text", "")
        if not text:
            raise RowProblem("the recommendation text is empty")
        if len(text) > MAX_TEXT:
            raise RowProblem(
                f"the text is {len(text):,} characters long; a recommendation has at most {MAX_TEXT:,}"
            )
        number = cells.get("number") or None
        if number and len(number) > MAX_NUMBER:
            raise RowProblem(f"the number {number[:30]!r}… is longer than {MAX_NUMBER} characters")
        under_review = cells.get("state_under_review")
        if under_review:
            code = self._codes(under_review)
            if code != (self.review_state,):
                expected = self.resolver.display_names[self.review_state]
                raise RowProblem(f"this row is about {under_review!r}, not {expected}")
        written_states = cells.get("recommending_states", "")
        if not written_states:
            raise RowProblem("no recommending state is given")
        # A file with its own column for the original wording (this app's export) means it when it is
        # empty: no wording was recorded, so the normalised value is not copied into it.
        raw = cells.get("response_raw", "") if "response_raw" in record else cells.get("response", "")
        if len(raw) > MAX_RAW_RESPONSE:
            raise RowProblem(f"the response is longer than {MAX_RAW_RESPONSE} characters")
        themes = self._theme_list(cells.get("themes", ""))
        try:
            category = parse_category(cells["action_category"]) if "action_category" in cells else None
        except ValueError as error:
            raise RowProblem(str(error)) from None
        return ParsedRow(
            row=row,
            number=number,
            text=text,
            codes=self._codes(written_states),
            response=self._response(cells.get("response", raw)),
            response_raw=raw,
            response_source=cells.get("response_source", "") if "response_source" in record else None,
            themes=themes,
            affected_persons=";".join(p for p in self._split.split(cells.get("affected_persons", "")) if p)
            if "affected_persons" in record
            else None,
            action_category=category,
            source_note=cells.get("source_note", "") if "source_note" in record else None,
        )

    def _codes(self, written: str) -> tuple[str, ...]:
        codes = self._states.get(written)
        if codes is None:
            try:
                codes = tuple(self.resolver.split_joint(written))
            except UnknownState as error:
                raise RowProblem(str(error)) from None
            self._states[written] = codes
        return codes

    def _theme_list(self, written: str) -> tuple[str, ...]:
        themes = self._themes.get(written)
        if themes is None:
            themes = tuple(dict.fromkeys(_THEME_CODE.sub("", t) for t in self._split.split(written) if t))
            if any(len(theme) > MAX_THEME for theme in themes):
                raise RowProblem(f"a theme is longer than {MAX_THEME} characters")
            # Theme cells repeat across a file; the cache keeps one tuple per distinct cell, up to a bound.
            if len(self._themes) < MAX_CACHED:
                self._themes[written] = themes
        return themes

    def _response(self, written: str) -> Response:
        response = self._responses.get(written)
        if response is None:
            try:
                response = normalise_response(written)
            except UnknownResponse as error:
                raise RowProblem(str(error)) from None
            self._responses[written] = response
        return response
