"""The declarative base, column types and the per-thread session the services use.

Services stage changes on ``db.session``; the request or CLI command that called them commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Engine, Insert, MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

from crm.text import guard_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored as UTC on every backend.

    SQLite has no time zones and hands back naive values; this type makes both backends return aware
    UTC datetimes and refuses naive ones, so a local wall-clock time can never be stored by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")  # i18n: fixed (a bug)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


def result_rows(result: Iterable[Any]) -> Iterable[Any]:
    """A result's rows as what they are at run time, sequences: SQLAlchemy types them as tuples, which they
    are not, and a module compiled by mypyc (``crm.recommendations.compiled``) checks what it is told."""
    return result


def utcnow() -> datetime:
    return datetime.now(UTC)


class Database:
    """One engine per app and a thread-scoped session, removed at the end of each app context."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        factory = sessionmaker(expire_on_commit=False)
        guard_session(factory)
        self.session: scoped_session[Session] = scoped_session(factory)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("the database is not configured: call db.configure(url) first")
        return self._engine

    def configure(self, url: str, **engine_options: Any) -> Engine:
        if self._engine is not None and str(self._engine.url) == url:
            return self._engine
        self.dispose()
        if url.startswith("sqlite"):
            engine_options.setdefault("connect_args", {"timeout": 30})
        # hide_parameters: a failed statement's error (which is logged) must not carry the values, which
        # may be the names or addresses of people at risk.
        engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True, **engine_options)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        self._engine = engine
        self.session.configure(bind=engine)
        return engine

    def dispose(self) -> None:
        self.session.remove()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def reclaim_deleted_space(self) -> None:
        """After an erasure: on SQLite, move the write-ahead log into the database file and empty it, so
        the erased rows survive neither in the log nor (``secure_delete``) in the file's free pages."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def insert_ignoring_conflicts(self, model: type[Base], *, unique: list[str]) -> Insert:
        """An INSERT that skips rows whose ``unique`` columns match a row already there (both backends).

        Sweepers racing to stage the same row is normal here: the second one's insert must not fail.
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        return insert(model).on_conflict_do_nothing(index_elements=unique)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets the web app read while the sweeper writes, and
    # with WAL, synchronous=NORMAL still survives a killed process (a power cut may lose the last commit).
    # secure_delete overwrites deleted rows with zeros, so an erased contact does not linger in free pages.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


db = Database()
