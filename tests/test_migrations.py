"""Every migration runs up and down, and the migrated schema is exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from upr import migrations
from upr.schema import metadata


def _schema_differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _columns(url: str) -> set[str]:
    """Every ``table.column``: a migration may add columns to existing tables instead of new tables."""
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        return {
            f"{table}.{column['name']}"
            for table in inspector.get_table_names()
            if table != "alembic_version"
            for column in inspector.get_columns(table)
        }
    finally:
        engine.dispose()


def test_migrations_up_down_up_match_the_models(fresh_database_url: str) -> None:
    migrations.upgrade(fresh_database_url)
    assert _tables(fresh_database_url) == set(metadata.tables)
    assert _schema_differences(fresh_database_url) == []
    migrations.downgrade(fresh_database_url, "base")
    assert _tables(fresh_database_url) == set()
    migrations.upgrade(fresh_database_url)
    assert _schema_differences(fresh_database_url) == []


def test_each_migration_steps_up_and_back_down(fresh_database_url: str) -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config(fresh_database_url))
    assert len(script.get_heads()) == 1, "migrations must form one line: revise the latest revision"
    revisions = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    seen: set[str] = set()
    for revision in revisions:
        migrations.upgrade(fresh_database_url, revision)
        added = _columns(fresh_database_url) - seen
        assert added, f"migration {revision} added no table or column"
        migrations.downgrade(fresh_database_url, "-1")
        assert _columns(fresh_database_url) == seen, f"migration {revision} did not undo itself"
        migrations.upgrade(fresh_database_url, revision)
        seen = _columns(fresh_database_url)
    assert {name.split(".")[0] for name in seen} == set(metadata.tables)
