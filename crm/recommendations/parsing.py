"""Turning one row of an export into a checked recommendation, or into a problem with its row number."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from operator import itemgetter

from flask_babel import gettext as _

from crm.dates import format_number
from crm.models import Response
from crm.recommendations.cells import THEME_CODE, split_group, states_in_text
from crm.recommendations.classify import parse_category
from crm.recommendations.layouts import Layout, Record
from crm.recommendations.responses import UnknownResponse, normalise_response
from crm.recommendations.rows import ParsedRow
from crm.reviews.services import cycle_of_session
from crm.states import StateResolver, UnknownState, normalise_name
from crm.text import UNSIZED_COLUMN_LIMIT, text_problem

MAX_TEXT = 10_000
MAX_NUMBER = 20
MAX_RAW_RESPONSE = 200
MAX_THEME = 120
MAX_CACHED = 10_000
# A bare formula sign would run in a spreadsheet; a leading apostrophe is how exports (ours included)
# escape one, so "'=x" is data and is stored as "=x" (exports escape it again).
FORMULA_SIGNS = ("=", "+", "@")
# What an apostrophe may escape: a formula sign, or a minus that is not a list bullet.
ESCAPED_SIGNS = (*FORMULA_SIGNS, "-")
_SIGNS = frozenset("'=+@-–•")
_BULLET = re.compile(r"^[-–•]\s+")
_DIGITS = re.compile(r"\d{1,3}")
_LIST_SPLIT = {"upr-info": re.compile(r"\s*[;,\n]\s*"), "uhri": re.compile(r"\s*[;\n]\s*")}
_DEFAULT_SPLIT = re.compile(r"\s*[;\n]\s*")
# UPR Info writes "(Unknown)" (HTML-escaped) where a report did not say which state recommended.
UNKNOWN_STATE = "(unknown)"
UPR_BODIES = ("upr", "universal periodic review")


class RowProblem(ValueError):
    pass


class LeftOut(ValueError):  # not an error: a row that is not a UPR recommendation
    """A row this import does not take (another body's recommendation); counted, never a problem."""


class _Read:
    """A row as read, before merging changes it: the cells it was read from (but its recommending
    states) and the values of its fields."""

    __slots__ = ("fields", "others", "row")

    def __init__(self, others: object, row: ParsedRow) -> None:
        self.others = others
        self.row = row
        self.fields = (
            row.row,
            row.number,
            row.text,
            row.codes,
            row.response,
            row.response_raw,
            row.response_source,
            row.themes,
            row.affected_persons,
            row.sdgs,
            row.action_category,
            row.source_note,
            row.state_code,
            row.cycle,
            row.session,
        )


class Repeat:
    """A row that repeats ``read``, the last row read in full, in every cell but its recommending states
    (which are ``codes``): UPR Info writes a recommendation once for each state that made it. (A plain
    class: a NamedTuple is made by Python code, and a whole export's repeats are made one by one.)"""

    __slots__ = ("codes", "read", "row")

    def __init__(self, row: int, codes: tuple[str, ...], read: _Read) -> None:
        self.row = row
        self.codes = codes
        self.read = read

    @property
    def repeated(self) -> ParsedRow:
        """The row it repeats, as read (merging may have added to that row since)."""
        return self.read.row

    def parsed(self) -> ParsedRow:
        """This row as ``parse`` would have read it."""
        parsed = ParsedRow(*self.read.fields)
        parsed.row, parsed.codes = self.row, self.codes
        # The wording is the same, and so is its key (once the row before has worked it out).
        parsed.wording = self.read.row.wording
        return parsed


def clean_cell(value: str, field: str) -> str:
    """``value`` without an escaping apostrophe or a list bullet; a bare formula sign is a problem."""
    if value[0] not in _SIGNS:
        return value
    if value.startswith("'") and value[1:2] in ESCAPED_SIGNS:
        return value[1:]
    if value.startswith(FORMULA_SIGNS) or (value.startswith("-") and not _BULLET.match(value)):
        raise RowProblem(
            _(
                "the %(field)s cell starts with %(sign)s, which a spreadsheet runs as a formula; remove the "
                "sign or put an apostrophe before it",
                field=field.replace("_", " "),
                sign=repr(value[0]),
            )
        )
    return _BULLET.sub("", value)


def _clean(value: str, field: str) -> str:
    # UPR Info's exports escape brackets and ampersands ("&#40;Unknown&#41;"); an escaped formula sign
    # is still one.
    value = html.unescape(value) if "&" in value else value
    return clean_cell(value, field) if value and value[0] in _SIGNS else value


def _number_in(value: str, what: str) -> int:
    """The number in a ``session`` or ``cycle`` cell."""
    found = _DIGITS.search(value)
    if not found:
        if what == "cycle":
            raise RowProblem(_("the cycle %(value)s is not a number", value=repr(value)))
        raise RowProblem(_("the session %(value)s is not a number", value=repr(value)))
    return int(found[0])


class RowParser:
    """Checks rows against the resolver; caches what repeats (states, responses, themes)."""

    def __init__(self, layout: Layout, resolver: StateResolver) -> None:
        self.layout = layout
        self.resolver = resolver
        self._split = _LIST_SPLIT.get(layout.format.name, _DEFAULT_SPLIT)
        self._states: dict[str, tuple[str, ...]] = {}
        self._responses: dict[str, Response] = {}
        self._themes: dict[str, tuple[str, ...]] = {}
        self._categories: dict[str, int | None] = {}
        self._under: dict[str, str] = {}
        self._timings: dict[tuple[str | None, str | None], tuple[int | None, int | None]] = {}
        self._positions = tuple(layout.positions.items())
        # Only a UHRI export names the recommending body; only a matrix writes the states in the wording.
        self._bodies = "body" in layout.positions
        self._states_in_text = layout.format.states_in_text
        self._widest = max(layout.positions.values()) + 1
        # UPR Info writes a recommendation once for each state that made it, the rows alike but for the
        # recommending state: a row whose other cells are those of the last row read is that row again.
        self._states_at = layout.positions.get("recommending_states")
        others = [index for name, index in self._positions if name != "recommending_states"]
        self._others = itemgetter(*others)
        self._last: _Read | None = None

    def check_storable(self, written: list[str]) -> None:
        """A RowProblem naming the first cell this import reads that no column could store: one holding a
        control character (tabs and line breaks aside, as cells may hold several lines) or longer than
        any text column takes. The fields' own, shorter limits are checked as the row is parsed; only a
        Word table holds a cell that long (a spreadsheet cell ends at 32,767 characters, a CSV field at
        131,072), and a matrix's cells hold several fields, the text's source among them."""
        for name, index in self._positions:
            value = written[index] if index < len(written) else ""
            problem = text_problem(
                value, UNSIZED_COLUMN_LIMIT, f"the {name.replace('_', ' ')} cell", multiline=True
            )
            if problem:
                raise RowProblem(problem)

    def parse(self, row: int, record: Record) -> ParsedRow:
        # The sign test is inlined because it runs for every cell of every row; most cells pass it.
        cells = {
            name: value if value[0] not in _SIGNS and "&" not in value else _clean(value, name)
            for name, value in record.items()
            if value
        }
        return self._checked(row, cells, record)

    def parse_cells(self, row: int, written: list[str]) -> ParsedRow | Repeat:
        """``parse(row, layout.record(written))`` in one step, where the layout refines no cell; a row that
        repeats the last one read in full but for its recommending states is a ``Repeat`` of it, with
        only its states read."""
        layout = self.layout
        if layout.format.refine is not None or len(written) < self._widest:
            return self.parse(row, layout.record(written))
        states_at = self._states_at
        if states_at is not None:
            others, last = self._others(written), self._last
            if last is not None and last.others == others:
                return self._repeated(row, written[states_at].strip(), last)
        cells = {
            name: value if value[0] not in _SIGNS and "&" not in value else _clean(value, name)
            for name, index in self._positions
            if (value := written[index].strip())
        }
        parsed = self._checked(row, cells, layout.positions)
        if states_at is not None:
            self._last = _Read(others, parsed)
        return parsed

    def _repeated(self, row: int, written_states: str, last: _Read) -> Repeat:
        """A row like ``last`` in every cell but the recommending states: only those are read again."""
        if written_states and (written_states[0] in _SIGNS or "&" in written_states):
            written_states = _clean(written_states, "recommending_states")
        if not written_states:
            raise RowProblem(self._no_states())
        codes = self._states.get(written_states)
        if codes is None:
            codes = self._codes(written_states)
        return Repeat(row, codes, last)

    def _checked(self, row: int, cells: dict[str, str], record: Mapping[str, object]) -> ParsedRow:
        """The row from its non-empty cells; ``record`` has every field the layout gives, filled or not."""
        text, written_states = self._text_and_states(cells)
        number = cells.get("number") or None
        if number and len(number) > MAX_NUMBER:
            raise RowProblem(
                _(
                    "the number %(number)s… is longer than %(limit)s characters",
                    number=repr(number[:30]),
                    limit=MAX_NUMBER,
                )
            )
        # The caches are asked here rather than through their methods: this runs for every row.
        under_review = cells.get("state_under_review")
        state_code = self._under.get(under_review) if under_review else None
        if under_review and state_code is None:
            state_code = self._under_review(under_review)
        if not written_states:
            raise RowProblem(self._no_states())
        # A file with its own column for the original wording (this app's export) means it when it is
        # empty: no wording was recorded, so the normalised value is not copied into it.
        raw = cells.get("response_raw", "") if "response_raw" in record else cells.get("response", "")
        if len(raw) > MAX_RAW_RESPONSE:
            raise RowProblem(_("the response is longer than %(limit)s characters", limit=MAX_RAW_RESPONSE))
        themes = self._themes.get(written_themes := cells.get("themes", ""))
        if themes is None:
            themes = self._theme_list(written_themes)
        category = None
        if "action_category" in cells:
            category = self._categories.get(written_category := cells["action_category"])
            if category is None:
                category = self._category(written_category)
        codes = self._states.get(written_states)
        if codes is None:
            codes = self._codes(written_states)
        response = self._responses.get(written_response := cells.get("response", raw))
        if response is None:
            response = self._response(written_response)
        timing = self._timings.get((cells.get("cycle"), cells.get("session")))
        if timing is None:
            timing = self._timing(cells)
        return ParsedRow(
            row,
            number,
            text,
            codes,
            response,
            raw,
            cells.get("response_source", "") if "response_source" in record else None,
            themes,
            self._list(cells.get("affected_persons", "")) if "affected_persons" in record else None,
            self._list(cells.get("sdgs", "")) if "sdgs" in record else None,
            category,
            cells.get("source_note", "") if "source_note" in record else None,
            state_code,
            *timing,
        )

    def _no_states(self) -> str:
        if self._states_in_text:
            return str(_("no recommending state is given in brackets at the end of the recommendation"))
        return str(_("no recommending state is given"))

    def _text_and_states(self, cells: dict[str, str]) -> tuple[str, str]:
        """The wording and the recommending states as written (a matrix writes them at its end)."""
        if self._bodies:
            body = cells.get("body", "").casefold()
            if body and not any(upr in body for upr in UPR_BODIES):
                raise LeftOut(cells["body"])
        text = cells.get("text", "")
        written_states = cells.get("recommending_states", "")
        if self._states_in_text and not written_states:
            text, groups = states_in_text(text, self._is_state)
            written_states = "\n".join(name for group in groups for name in split_group(group))
        if not text:
            raise RowProblem(_("the recommendation text is empty"))
        if len(text) > MAX_TEXT:
            raise RowProblem(
                _(
                    "the text is %(length)s characters long; a recommendation has at most %(limit)s",
                    length=format_number(len(text)),
                    limit=format_number(MAX_TEXT),
                )
            )
        return text, written_states

    def _list(self, cell: str) -> str:
        return ";".join(p for p in self._split.split(cell) if p)

    def _category(self, written: str) -> int | None:
        if written in self._categories:
            return self._categories[written]
        try:
            category = parse_category(written)
        except ValueError as error:
            raise RowProblem(str(error)) from None
        if len(self._categories) < MAX_CACHED:
            self._categories[written] = category
        return category

    def _timing(self, cells: dict[str, str]) -> tuple[int | None, int | None]:
        """The cycle and session of a row (cached: a file names a few dozen sessions at most)."""
        timing = (self._cycle(cells), _number_in(cells["session"], "session") if "session" in cells else None)
        if len(self._timings) < MAX_CACHED:
            self._timings[cells.get("cycle"), cells.get("session")] = timing
        return timing

    def _under_review(self, written: str) -> str:
        codes = self._codes(written)
        if len(codes) != 1:
            raise RowProblem(
                _(
                    "the State under Review %(name)s names %(count)s states, not one",
                    name=repr(written),
                    count=len(codes),
                )
            )
        self._under[written] = codes[0]
        return codes[0]

    @staticmethod
    def _cycle(cells: dict[str, str]) -> int | None:
        cycle = _number_in(cells["cycle"], "cycle") if "cycle" in cells else None
        if "session" not in cells:
            return cycle
        session = _number_in(cells["session"], "session")
        if session < 1:
            raise RowProblem(_("session %(session)s is not a UPR session number", session=session))
        from_session = cycle_of_session(session)
        if cycle is not None and cycle != from_session:
            raise RowProblem(
                _(
                    "session %(session)s belongs to cycle %(from_session)s, but the row says cycle %(cycle)s",
                    session=session,
                    from_session=from_session,
                    cycle=cycle,
                )
            )
        return from_session

    def _is_state(self, name: str) -> bool:
        try:
            self.resolver.resolve(name)
        except UnknownState:
            return False
        return True

    def _codes(self, written: str) -> tuple[str, ...]:
        codes = self._states.get(written)
        if codes is None:
            if normalise_name(written) in {UNKNOWN_STATE, UNKNOWN_STATE.strip("()")}:
                codes = ()
            else:
                try:
                    codes = tuple(self.resolver.split_joint(written))
                except UnknownState as error:
                    raise RowProblem(str(error)) from None
            self._states[written] = codes
        return codes

    def _theme_list(self, written: str) -> tuple[str, ...]:
        themes = self._themes.get(written)
        if themes is None:
            themes = tuple(dict.fromkeys(THEME_CODE.sub("", t) for t in self._split.split(written) if t))
            if any(len(theme) > MAX_THEME for theme in themes):
                raise RowProblem(_("a theme is longer than %(limit)s characters", limit=MAX_THEME))
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
