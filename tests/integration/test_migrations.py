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


def test_a_database_with_people_and_their_movements_upgrades_from_the_first_release(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Later migrations rebuild tables others refer to (people); the data and its references survive."""
    db = Database(str(tmp_path / "old.db"))
    db.upgrade("0003")
    with db.engine.begin() as connection:
        _an_old_network_with_one_shelter(connection)
        connection.exec_driver_sql(
            "INSERT INTO people (id, handle, name, rank, skills, clearance, max_chakra, condition, available, notes) "
            "VALUES (1, 'iruka', 'Iruka Umino', 'chunin', '[]', 2, 100, 'fit', 1, '')")
        connection.exec_driver_sql("INSERT INTO items (id, sku, name, category, unit, unit_weight_kg) "
                                   "VALUES (1, 'FOOD-RICE', 'Rice', 'food', 'pack', 0.5)")
        connection.exec_driver_sql(
            "INSERT INTO movements (id, kind, shelter_id, item_id, quantity, occurred_at, recorded_at, by_id, source, "
            "note, fingerprint) VALUES (1, 'restock', 1, 1, 5000, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, "
            "'', '', 'f')")
    db.upgrade()
    db.check_ready()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT handle FROM people").scalars().all() == ["iruka"]
        assert connection.exec_driver_sql("SELECT by_id FROM movements").scalars().all() == [1]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrading_gives_every_par_levelled_pair_a_balance_with_its_minimum(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(str(tmp_path / "old.db"))
    db.upgrade("0006")
    with db.engine.begin() as connection:
        _an_old_network_with_one_shelter(connection)
        for item_id, sku in [(1, "FOOD-RICE"), (2, "FOOD-WATER"), (3, "WPN-KUNAI")]:
            connection.exec_driver_sql("INSERT INTO items (id, sku, name, category, unit, unit_weight_kg) "
                                       f"VALUES ({item_id}, '{sku}', '{sku}', 'food', 'pack', 0.5)")
        connection.exec_driver_sql("INSERT INTO par_levels (shelter_id, item_id, min, target, capacity) "
                                   "VALUES (1, 1, 2000, 4000, 6000), (1, 2, 1000, 2000, 3000)")
        connection.exec_driver_sql("INSERT INTO balances (shelter_id, item_id, quantity) VALUES (1, 1, 5000), (1, 3, 7000)")
    db.upgrade()
    with db.engine.connect() as connection:
        found = connection.exec_driver_sql("SELECT item_id, quantity, min FROM balances ORDER BY item_id").all()
    assert [tuple(row) for row in found] == [(1, 5000, 2000), (2, 0, 1000), (3, 7000, None)]


def _an_old_network_with_one_shelter(connection) -> None:  # type: ignore[no-untyped-def]
    """Rows as an earlier release wrote them: a network and LF-001."""
    connection.exec_driver_sql("INSERT INTO networks (id, name, width_m, height_m, description, features) "
                               "VALUES (1, 'Old', 1000, 1000, '', '{}')")
    connection.exec_driver_sql(
        "INSERT INTO shelters (id, network_id, code, name, x, y, access_notes, beds, condition, status, clearance) "
        "VALUES (1, 1, 'LF-001', 'Cedar Hollow', 10, 10, '', 2, 'good', 'active', 1)")
