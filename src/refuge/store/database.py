"""Connecting to the database: URLs, engines, transactions and the schema version."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from refuge.domain.errors import DatabaseNotReady

MIGRATIONS = Path(__file__).with_name("migrations")


def resolve_url(value: str) -> str:
    """A SQLAlchemy URL from what a user typed: a URL, or a plain path to an SQLite file."""
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def make_engine(url: str) -> Engine:
    url = resolve_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, open transactions, so writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        # A writer reads balances and then writes; taking the write lock first means two writers
        # can never both pass the same balance check.
        writing = connection.get_execution_options().get("refuge_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


class Database:
    """One database: transactions for the services, and its schema kept at the newest migration."""

    def __init__(self, url: str) -> None:
        self.url = resolve_url(url)
        self.engine = make_engine(self.url)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.engine.execution_options(refuge_write=True), expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def location(self) -> str:
        """The URL without any password, fit to show a user."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back everything if it raises."""
        with self._writer() as session, session.begin():
            yield session

    def upgrade(self, revision: str = "head") -> None:
        """Create or upgrade the schema to the newest migration (or to `revision`)."""
        with self.engine.connect() as connection:
            sqlite = self.dialect == "sqlite"
            if sqlite:
                # SQLite alters a table by building a new one and dropping the old; with foreign keys
                # enforced, dropping a table others refer to fails. Off for the upgrade (this only takes
                # effect outside a transaction), and checked in full before the upgrade commits.
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    config = alembic_config()
                    config.attributes["connection"] = connection
                    command.upgrade(config, revision)
                    if sqlite:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise DatabaseNotReady(f"upgrading {self.location} would break {len(broken)} references "
                                                   f"(first: table {broken[0][0]}, row {broken[0][1]}); nothing changed")
            finally:
                if sqlite:
                    connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")

    def check_ready(self) -> None:
        """Refuse to work on a database without Refuge's tables or at an older schema."""
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        self._refuse_missing_file()
        try:
            with self.engine.connect() as connection:
                current = MigrationContext.configure(connection).get_current_revision()
                has_tables = inspect(connection).has_table("shelters")
        except OperationalError as error:
            raise DatabaseNotReady(f"cannot reach the database at {self.location}: {error.orig}") from None
        if current is None or not has_tables:
            raise DatabaseNotReady(
                f"the database at {self.location} has no Refuge tables; run `refuge init` (empty) or `refuge demo`"
            )
        if current != head:
            raise DatabaseNotReady(f"the database at {self.location} is at schema {current}; run `refuge init` to upgrade it")

    def _refuse_missing_file(self) -> None:
        # SQLite creates a file on first connection; a typo in a path must not leave an empty database behind.
        name = self.engine.url.database
        if self.dialect != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
            return
        if not Path(name).exists():
            raise DatabaseNotReady(f"there is no database at {name}; run `refuge init` (empty) or `refuge demo`")

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
