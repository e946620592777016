"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from refuge.domain.errors import DatabaseNotReady
from refuge.store.database import Database
from refuge.store.tables import Base


def test_migrations_upgrade_an_empty_database_to_match_the_models(empty_db: Database) -> None:
    with empty_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_upgrade(empty_db: Database) -> None:
    tables = set(inspect(empty_db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_upgrading_twice_changes_nothing(empty_db: Database) -> None:
    empty_db.upgrade()
    empty_db.check_ready()


def test_a_database_without_tables_is_refused_with_a_hint(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(str(tmp_path / "blank.db"))
    with pytest.raises(DatabaseNotReady, match="refuge init"):
        db.check_ready()
