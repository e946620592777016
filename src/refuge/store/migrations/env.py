"""Alembic environment: runs on the connection Refuge hands it, or on REFUGE_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from refuge.store.tables import Base


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from refuge.config import Settings
        from refuge.store.database import make_engine

        with make_engine(Settings().database_url).begin() as own:
            _migrate(own)
    else:
        _migrate(connection)


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
