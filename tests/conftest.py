"""Databases for tests: a fresh SQLite file per test, and a PostgreSQL database per test worker."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from refuge.store import loading
from refuge.store.database import Database
from tests.factories import small_network

POSTGRES_ADMIN_URL = os.environ.get(
    "REFUGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A database of this worker's own on the local server, created empty and dropped at the end."""
    name = f"refuge_test_{worker_id}_{os.getpid()}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and is not reachable: {error.orig}")
        pytest.skip(f"PostgreSQL is not reachable: {error.orig}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    Database(url).upgrade()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The route search's bounds go to a directory of the test run's own, never the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REFUGE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    # pytest-xdist provides this; fall back to a single worker without it.
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def _sqlite(tmp_path) -> Database:  # type: ignore[no-untyped-def]
    db = Database(str(tmp_path / "refuge.db"))
    db.upgrade()
    return db


def _postgres(request: pytest.FixtureRequest) -> Database:
    db = Database(request.getfixturevalue("postgres_url"))
    with db.writing() as session:
        loading.clear(session)
    return db


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """An empty, migrated database, on SQLite and on PostgreSQL."""
    db = _sqlite(tmp_path) if request.param == "sqlite" else _postgres(request)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """The small test network loaded, on SQLite and on PostgreSQL."""
    with empty_db.writing() as session:
        loading.load(session, small_network())
    return empty_db


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """The small test network in an SQLite file (for end-to-end tests that need one database)."""
    db = _sqlite(tmp_path)
    with db.writing() as session:
        loading.load(session, small_network())
    yield db
    db.dispose()
