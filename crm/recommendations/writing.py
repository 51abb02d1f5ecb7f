"""Writing new recommendations in bulk, with their recommending states and themes.

A 100,000-row export has to import in a few times what a bare ``sqlite3`` ``executemany`` needs, so the
hot path hands plain tuples straight to the driver: the statements are compiled once per import, values
that repeat (the review, the timestamps, the enums) are converted by their column's own type once rather
than per row, and neither ORM objects nor per-row parameter processing are involved. Every value is still
bound by the driver, never pasted into the SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, case, delete, func, insert, select

from crm.db import db, result_rows, utcnow
from crm.models import (
    ImplementationStatus,
    Recommendation,
    RecommendingState,
    Response,
    Theme,
    recommendation_themes,
)
from crm.recommendations.classify import classified, classify
from crm.recommendations.models import ResponseChange
from crm.recommendations.rows import ParsedRow
from crm.recommendations.signatures import Stems, signature
from crm.recommendations.stored import StoredRow
from crm.recommendations.words import letter_runs

BATCH = 2_000

RECOMMENDATION_COLUMNS = (
    "review_id",
    "number",
    "sort_key",
    "text",
    "response",
    "response_raw",
    "response_source",
    "affected_persons",
    "sdgs",
    "action_category",
    "action_category_set_by_person",
    "is_time_bound",
    "is_specific_action",
    "is_measurable",
    "is_continue_form",
    "implementation_status",
    "source_note",
    "created_at",
    "updated_at",
)


class Statement:
    """One INSERT compiled for the connection's driver, run as a single ``executemany``."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        self._connection = connection
        compiled = table.insert().compile(dialect=connection.dialect, column_keys=list(columns))
        self._sql = str(compiled)
        self._columns = tuple(columns)
        # Positional drivers (sqlite3) take the tuples as they are; named ones (psycopg) need dicts.
        self._positional = bool(compiled.positional)
        if self._positional and tuple(compiled.positiontup or ()) != self._columns:
            raise RuntimeError(f"unexpected parameter order for {table.name}: {compiled.positiontup}")

    def run(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        params: list[Any] = (
            rows if self._positional else [dict(zip(self._columns, row, strict=True)) for row in rows]
        )
        self._connection.exec_driver_sql(self._sql, params)


def _bound(column: Column[Any], value: object, connection: Connection) -> object:
    """``value`` as the column's type hands it to the driver (a UTC string on SQLite, an enum's value)."""
    dialect = connection.dialect
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor else value


class BulkInserter:
    """Inserts new, checked rows of any number of reviews, ``BATCH`` at a time; ``theme_id`` resolves (or
    adds) a theme.

    One inserter serves a whole import, so a multi-State export compiles its statements once and sends
    its rows in full batches whatever the size of each review. The rows of the reviews ``kept`` are kept
    in ``inserted`` for linking, with their word sets (stemmed with ``stems``).
    """

    def __init__(
        self, batch_size: int = BATCH, kept: Container[int] = (), stems: Stems | None = None
    ) -> None:
        self.batch_size = batch_size
        self._kept = kept
        self._stems = stems
        connection = self._connection = db.session.connection()
        table = Recommendation.__table__
        assert isinstance(table, Table)
        self._table = table
        self._recommendations = Statement(connection, table, RECOMMENDATION_COLUMNS)
        state_table = RecommendingState.__table__
        assert isinstance(state_table, Table)
        self._states = Statement(connection, state_table, ("recommendation_id", "state_code", "position"))
        self._themes = Statement(connection, recommendation_themes, ("recommendation_id", "theme_id"))
        columns = table.c
        self._responses = {member: _bound(columns.response, member, connection) for member in Response}
        self._flags = {flag: _bound(columns.is_time_bound, flag, connection) for flag in (False, True)}
        now = _bound(columns.created_at, utcnow(), connection)
        status = _bound(columns.implementation_status, ImplementationStatus.NOT_ASSESSED, connection)
        self._status, self._now = status, now
        self._theme_ids = {
            name: theme_id for theme_id, name in result_rows(connection.execute(select(Theme.id, Theme.name)))
        }
        self._sqlite = connection.dialect.name == "sqlite"
        self._last_id: int = connection.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
        self._values: list[tuple[Any, ...]] = []
        # For each pending row: its review, the row, its theme ids and its word set (None: not kept).
        self._pending: list[tuple[int, ParsedRow, tuple[int, ...], frozenset[str] | None]] = []
        # The rows written to the reviews ``kept``, with their review, the id each received and the words
        # it is linked by.
        self.inserted: list[tuple[int, int, ParsedRow, frozenset[str]]] = []

    def add(
        self,
        review_id: int,
        rows: Iterable[ParsedRow],
        themes_of: Callable[[ParsedRow], tuple[str, ...]],
        written: Callable[[int], None] | None = None,
    ) -> None:
        """Queue ``rows`` for ``review_id`` in the file's order, writing each batch they fill; ``written``
        is told after each batch how many of ``rows`` were queued by then. An unnumbered row sorts with the
        numbered one before it."""
        flags, responses, theme_ids = self._flags, self._responses, self._theme_ids
        unset, status, now, batch_size = flags[False], self._status, self._now, self.batch_size
        # Only the rows of a review that is linked need the words they are linked by.
        stems = self._stems if review_id in self._kept else None
        values, pending = self._values, self._pending
        sort_key = 0
        for queued, row in enumerate(rows, 1):
            if row.number:
                sort_key = row.sort_key or sort_key
            # The wording is lowered and split once, for its classification and for its words.
            text = row.text
            lowered = text.casefold()
            runs = letter_runs(lowered)
            category, time_bound, specific, measurable, continuing = classified(text, lowered, runs)
            values.append(
                (
                    review_id,
                    row.number,
                    sort_key,
                    text,
                    responses[row.response],
                    row.response_raw,
                    row.response_source or "",
                    row.affected_persons or "",
                    row.sdgs or "",
                    row.action_category or category,
                    unset,
                    flags[time_bound],
                    flags[specific],
                    flags[measurable],
                    flags[continuing],
                    status,
                    row.source_note or "",
                    now,
                    now,
                )
            )
            # Themes are resolved as rows come, so new ones are added in the order the file first names them.
            themes = themes_of(row)
            try:
                ids = tuple(map(theme_ids.__getitem__, themes))
            except KeyError:
                ids = tuple(self.theme_id(theme) for theme in themes)
            words = None if stems is None else signature(text, stems, lowered, runs)
            pending.append((review_id, row, ids, words))
            if len(values) >= batch_size:
                self.flush()
                values, pending = self._values, self._pending
                if written is not None:
                    written(queued)

    def flush(self) -> None:
        """Write the queued rows, then their recommending states and themes by the ids the rows received."""
        values, pending = self._values, self._pending
        if not values:
            return
        self._values, self._pending = [], []
        self._recommendations.run(values)
        ids: Sequence[int] | None = self._consecutive_ids(len(values)) if self._sqlite else None
        if ids is None:
            # A PostgreSQL sequence only grows, so these reviews' rows above the highest id seen so far are
            # this batch; ids SQLite picked at random follow no order, and the whole reviews are read.
            reviews = {review_id for review_id, *_rest in pending}
            by_key = self._new_ids(reviews, above=None if self._sqlite else self._last_id)
            ids = [by_key[review_id, row.key] for review_id, row, _themes, _words in pending]
        self._states.run(
            [
                (rec_id, code, position)
                for rec_id, (_review, row, _themes, _words) in zip(ids, pending, strict=True)
                for position, code in enumerate(row.codes)
            ]
        )
        self._themes.run(
            [
                (rec_id, theme_id)
                for rec_id, (_review, _row, theme_ids, _words) in zip(ids, pending, strict=True)
                for theme_id in theme_ids
            ]
        )
        self.inserted.extend(
            (review_id, rec_id, row, words)
            for rec_id, (review_id, row, _themes, words) in zip(ids, pending, strict=True)
            if words is not None
        )

    def _consecutive_ids(self, count: int) -> range | None:
        """The ids SQLite gave the ``count`` rows just inserted, or None if it did not number them in a row.

        SQLite gives a new row the largest id plus one (unless that id is at 2**63 - 1, when it picks one
        at random), and nobody else writes while this transaction holds the lock. So when the last id it
        gave is the largest id known before the batch plus ``count``, the batch holds the ids in between:
        one that was not the largest plus one would have to be at the very top, and the last could not
        be that high. Anything else (another writer came between reading the largest id and this
        import's first insert) falls back to reading the ids back.
        """
        last = self._connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
        if last != self._last_id + count:
            return None
        first, self._last_id = self._last_id + 1, last
        return range(first, last + 1)

    def _new_ids(self, review_ids: set[int], *, above: int | None) -> dict[tuple[int, str], int]:
        """The reviews' ids by (review, row key), only those greater than ``above`` when it is given.

        Read back rather than returned (RETURNING would make SQLite insert row by row); the text is
        fetched only for unnumbered rows, whose key it is.
        """
        table = self._table
        query = select(
            table.c.id,
            table.c.review_id,
            table.c.number,
            case((table.c.number.is_(None), table.c.text), else_=None),
        ).where(table.c.review_id.in_(review_ids))
        if above is not None:
            query = query.where(table.c.id > above)
        ids = {}
        for rec_id, review_id, number, text in result_rows(self._connection.execute(query)):
            ids[review_id, ParsedRow.key_for(number, text or "")] = rec_id
            self._last_id = max(self._last_id, rec_id)
        return ids

    def theme_id(self, name: str) -> int:
        theme_id = self._theme_ids.get(name)
        if theme_id is None:
            theme = Theme(name=name)
            db.session.add(theme)
            db.session.flush()
            theme_id = self._theme_ids[name] = theme.id
        return theme_id


def update_recommendation(
    current: StoredRow, row: ParsedRow, changed: dict[str, object], file_name: str, inserter: BulkInserter
) -> int:
    """Apply ``changed`` to the stored recommendation, keeping the earlier response; 1 if it changed."""
    rec = db.session.get_one(Recommendation, current.id)
    response_changed = "response" in changed or "response_raw" in changed
    if response_changed:
        db.session.add(
            ResponseChange(
                recommendation_id=rec.id,
                previous_response=rec.response,
                previous_response_raw=rec.response_raw,
                new_response=row.response,
                new_response_raw=row.response_raw,
                source=file_name,
            )
        )
    codes = changed.pop("codes", None)
    themes = changed.pop("themes", None)
    for name, value in changed.items():
        setattr(rec, name, value)
    if "text" in changed:
        signals = classify(row.text)
        rec.is_time_bound, rec.is_specific_action = signals.is_time_bound, signals.is_specific_action
        rec.is_measurable, rec.is_continue_form = signals.is_measurable, signals.is_continue_form
        if not rec.action_category_set_by_person and row.action_category is None:
            rec.action_category = signals.action_category
    # Replaced with plain statements: the ORM would insert the new (recommendation, state) keys before
    # deleting the old ones and trip over the primary key.
    if isinstance(codes, tuple):
        db.session.execute(delete(RecommendingState).where(RecommendingState.recommendation_id == rec.id))
        if codes:
            db.session.execute(
                insert(RecommendingState),
                [{"recommendation_id": rec.id, "state_code": c, "position": i} for i, c in enumerate(codes)],
            )
    if isinstance(themes, tuple):
        db.session.execute(
            delete(recommendation_themes).where(recommendation_themes.c.recommendation_id == rec.id)
        )
        if themes:
            db.session.execute(
                insert(recommendation_themes),
                [{"recommendation_id": rec.id, "theme_id": inserter.theme_id(name)} for name in themes],
            )
    db.session.expire(rec, ["recommending", "themes"])
    return int(response_changed)
