"""Fresh, empty, migrated databases for each measurement: SQLite files in a temporary folder, and one
PostgreSQL database of the benchmarks' own (`refuge_bench`), dropped and created again each time."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from refuge.store.database import Database

#: Any database on the server to connect to while creating and dropping ours.
ADMIN_URL = os.environ.get("REFUGE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BENCH_DATABASE = "refuge_bench"


@dataclass(frozen=True)
class Target:
    """One empty database: `url` for Refuge, `raw` for the bare driver (a path or a libpq URL)."""

    dialect: str
    url: str
    raw: str

    def open(self) -> Database:
        """Refuge's handle on it, with the schema migrated to the newest version."""
        db = Database(self.url)
        db.upgrade()
        return db


class Places:
    """Hands out fresh databases of either kind and cleans all of them up at the end."""

    def __init__(self, folder: Path, admin_url: str = ADMIN_URL) -> None:
        self.folder, self.admin_url, self._files = folder, admin_url, 0
        self.postgres_error = _reachable(admin_url)

    def fresh(self, dialect: str) -> Target:
        if dialect == "sqlite":
            self._files += 1
            path = str(self.folder / f"bench-{self._files}.db")
            return Target("sqlite", path, path)
        self._recreate()
        url = _as_url(self.admin_url, BENCH_DATABASE)
        return Target("postgresql", url, url)

    def _recreate(self) -> None:
        self.drop_postgres()
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))

    def drop_postgres(self) -> None:
        if self.postgres_error is None:
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                connection.execute(drop.format(sql.Identifier(BENCH_DATABASE)))


@contextmanager
def places() -> Iterator[Places]:
    with tempfile.TemporaryDirectory(prefix="refuge-bench-") as folder:
        found = Places(Path(folder))
        try:
            yield found
        finally:
            found.drop_postgres()


def _reachable(url: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        with psycopg.connect(url, connect_timeout=5):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]


def _as_url(admin_url: str, database: str) -> str:
    """The admin URL with its database swapped for ours."""
    head, _, tail = admin_url.rpartition("/")
    query = tail.partition("?")[2]
    return f"{head}/{database}" + (f"?{query}" if query else "")
