"""The ledger's rows as plain tuples, written with the bare driver: the floor the ORM load is measured against.

Values are stored exactly as the store's column types store them (quantities as whole thousandths,
SQLite times as naive UTC text), so a database filled this way reads the same through Refuge.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import Decimal

import psycopg

from refuge.domain.ledger import Movement
from refuge.domain.network import ParLevel
from refuge.store.ledger import IdMaps

MOVEMENT_COLUMNS = ("id", "kind", "shelter_id", "to_shelter_id", "item_id", "quantity", "occurred_at",
                    "recorded_at", "by_id", "source", "note", "key", "fingerprint")
LOT_LINE_COLUMNS = ("movement_id", "shelter_id", "item_id", "expires_on", "quantity", "occurred_at")
PAR_LEVEL_COLUMNS = ("shelter_id", "item_id", "min", "target", "capacity")


def _insert(table: str, columns: tuple[str, ...], marker: str) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"


def thousandths(quantity: Decimal) -> int:
    return int(quantity * 1000)


def sqlite_time(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond:06d}"


def sqlite_date(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def ledger_rows(movements: Iterable[Movement], ids: IdMaps, dialect: str,
                first_id: int = 1) -> tuple[list[tuple], list[tuple]]:
    """(movement rows, lot line rows) with movement ids numbered from `first_id`."""
    when = sqlite_time if dialect == "sqlite" else (lambda moment: moment)
    day = sqlite_date if dialect == "sqlite" else (lambda value: value)
    movement_rows, line_rows = [], []
    for movement_id, m in enumerate(movements, start=first_id):
        shelter_id, item_id, occurred_at = ids.shelter[m.shelter], ids.item[m.sku], when(m.occurred_at)
        movement_rows.append((
            movement_id, m.kind.value, shelter_id, ids.shelter[m.to_shelter] if m.to_shelter else None, item_id,
            thousandths(m.quantity), occurred_at, when(m.recorded_at), ids.person[m.by] if m.by else None,
            m.source, m.note, m.key, m.fingerprint,
        ))
        line_rows.extend(
            (movement_id, ids.shelter[line.shelter], item_id, day(line.expires_on), thousandths(line.quantity),
             occurred_at)
            for line in m.lines
        )
    return movement_rows, line_rows


def sqlite_connect(path: str) -> sqlite3.Connection:
    """A bare connection set up as Refuge sets up its own (foreign keys, WAL, synchronous=NORMAL)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


#: What the bare driver writes: (table, columns, rows), in order.
Batch = tuple[str, tuple[str, ...], list[tuple]]


def ledger(movement_rows: list[tuple], line_rows: list[tuple]) -> list[Batch]:
    return [("movements", MOVEMENT_COLUMNS, movement_rows), ("lot_lines", LOT_LINE_COLUMNS, line_rows)]


def par_levels(levels: Iterable[ParLevel], ids: IdMaps) -> Batch:
    return ("par_levels", PAR_LEVEL_COLUMNS, [
        (ids.shelter[p.shelter], ids.item[p.sku], thousandths(p.min), thousandths(p.target), thousandths(p.capacity))
        for p in levels
    ])


def insert_sqlite(path: str, batches: list[Batch]) -> None:
    """Every batch in one transaction with sqlite3's executemany."""
    connection = sqlite_connect(path)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for table, columns, values in batches:
            connection.executemany(_insert(table, columns, "?"), values)
        connection.execute("COMMIT")
    finally:
        connection.close()


def insert_postgres(url: str, batches: list[Batch]) -> None:
    """Every batch in one transaction with psycopg's executemany (pipelined)."""
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        for table, columns, values in batches:
            cursor.executemany(_insert(table, columns, "%s"), values)
        _catch_up(cursor, batches)


def copy_postgres(url: str, batches: list[Batch]) -> None:
    """Every batch in one transaction with COPY, PostgreSQL's fastest way in."""
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        for table, columns, values in batches:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        _catch_up(cursor, batches)


def _catch_up(cursor: psycopg.Cursor, batches: list[Batch]) -> None:
    """Move the id sequences past ids given explicitly, so that Refuge's own inserts do not collide."""
    for table, columns, _ in batches:
        if columns[0] == "id":
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
