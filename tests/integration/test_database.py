"""Connecting: URLs and file paths, SQLite's pragmas, and transactions that write all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from refuge.store.database import Database, resolve_url
from refuge.store.tables import ShelterRow


def test_a_plain_path_means_an_sqlite_file() -> None:
    assert resolve_url("data/refuge.db") == f"sqlite:///{Path('data/refuge.db').resolve()}"


def test_a_postgres_url_uses_the_psycopg_driver() -> None:
    assert resolve_url("postgresql://u@h:5432/d") == "postgresql+psycopg://u@h:5432/d"
    assert resolve_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"


def test_an_explicit_driver_is_kept() -> None:
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "r.db"))
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_failed_write_rolls_back_everything_it_did(db: Database) -> None:
    with pytest.raises(RuntimeError), db.writing() as session:
        session.add(ShelterRow(code="LF-099", name="Ghost", x=1, y=1, access_notes="", beds=1,
                               condition="good", status="active", clearance=1))
        session.flush()
        raise RuntimeError("stop")
    with db.reading() as session:
        assert session.execute(text("SELECT COUNT(*) FROM shelters WHERE code = 'LF-099'")).scalar() == 0


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.writing() as session:
        session.execute(text("INSERT INTO par_levels (shelter_id, item_id, min, target, capacity) VALUES (9999, 9999, 0, 0, 1)"))


def test_a_scenario_without_places_or_defences_loads(empty_db: Database) -> None:
    from dataclasses import replace

    from refuge.store import loading
    from tests.factories import small_network

    bare = replace(small_network(), places=[], defences=[], defence_tests=[])
    with empty_db.writing() as session:
        loading.load(session, bare)
    with empty_db.reading() as session:
        assert session.execute(text("SELECT COUNT(*) FROM places")).scalar() == 0
        assert session.execute(text("SELECT COUNT(*) FROM shelters")).scalar() == 3
