"""Recording movements through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from refuge.domain.errors import (
    IdempotencyConflict,
    InsufficientStock,
    InvalidInput,
    UnknownItem,
    UnknownPerson,
    UnknownShelter,
)
from refuge.domain.ledger import MovementKind
from refuge.services import ledger
from refuge.services.requests import movement_request
from refuge.store.database import Database
from refuge.store.tables import LotLineRow, MovementRow
from tests.factories import NOW


def rows_written(db: Database) -> tuple[int, int]:
    with db.reading() as session:
        return (session.scalar(select(func.count()).select_from(MovementRow)) or 0,
                session.scalar(select(func.count()).select_from(LotLineRow)) or 0)


def on_hand(db: Database, shelter: str, sku: str) -> Decimal:
    lines = {line.item.sku: line for line in ledger.stock(db, shelter, NOW.date()).lines}
    return lines[sku].on_hand if sku in lines else Decimal(0)


def record(db: Database, kind: str, shelter: str, sku: str, quantity: object, **extra: object):  # type: ignore[no-untyped-def]
    extra.setdefault("at", (NOW - timedelta(hours=1)).isoformat())
    return ledger.record(db, movement_request(kind, shelter, sku, quantity, **extra), now=NOW)  # type: ignore[arg-type]


def test_a_consumption_draws_the_earliest_lot_and_lowers_the_balance(db: Database) -> None:
    record(db, "restock", "LF-001", "FOOD-RICE", 5, expires="2026-07-01")
    recorded = record(db, "consume", "LF-001", "FOOD-RICE", 7, by="kakashi")
    assert [(line.expires_on, line.quantity) for line in recorded.movement.lines] == [
        (date(2026, 7, 1), Decimal(-5)), ((NOW - timedelta(days=60)).date() + timedelta(days=730), Decimal(-2))]
    assert on_hand(db, "LF-001", "FOOD-RICE") == Decimal(8)


def test_a_consumption_beyond_the_balance_is_refused_and_writes_nothing(db: Database) -> None:
    before = rows_written(db)
    with pytest.raises(InsufficientStock) as refused:
        record(db, "consume", "LF-002", "AID-BANDAGE", 2)
    assert "LF-002" in str(refused.value) and "AID-BANDAGE" in str(refused.value)
    assert "only 1" in str(refused.value) and "2 asked" in str(refused.value) and "stocktake" in str(refused.value)
    assert rows_written(db) == before


def test_replaying_a_key_returns_the_original_and_writes_nothing(db: Database) -> None:
    first = record(db, "consume", "LF-001", "WPN-KUNAI", 2, key="mission-7", by="Kakashi Hatake")
    before = rows_written(db)
    again = record(db, "consume", "LF-001", "WPN-KUNAI", 2, key="mission-7", by="kakashi")
    assert again.replayed and not first.replayed
    assert again.movement.id == first.movement.id
    assert rows_written(db) == before
    assert on_hand(db, "LF-001", "WPN-KUNAI") == Decimal(8)


def test_a_key_reused_for_other_content_is_a_conflict_and_writes_nothing(db: Database) -> None:
    record(db, "consume", "LF-001", "WPN-KUNAI", 2, key="mission-8")
    before = rows_written(db)
    with pytest.raises(IdempotencyConflict, match="mission-8"):
        record(db, "consume", "LF-001", "WPN-KUNAI", 3, key="mission-8")
    assert rows_written(db) == before


def test_a_key_left_out_of_the_time_still_replays_later(db: Database) -> None:
    first = ledger.record(db, movement_request("restock", "LF-003", "FOOD-RICE", 4, key="k-now"), now=NOW)
    later = ledger.record(db, movement_request("restock", "LF-003", "FOOD-RICE", 4, key="k-now"),
                          now=NOW + timedelta(minutes=5))
    assert later.replayed and later.movement.id == first.movement.id


@pytest.mark.parametrize(
    ("kind", "shelter", "sku", "extra", "error"),
    [
        ("consume", "LF-404", "FOOD-RICE", {}, UnknownShelter),
        ("consume", "LF-001", "FOOD-CAKE", {}, UnknownItem),
        ("consume", "LF-001", "FOOD-RICE", {"by": "orochimaru"}, UnknownPerson),
        ("transfer", "LF-001", "FOOD-RICE", {"to_shelter": "LF-404"}, UnknownShelter),
        ("transfer", "LF-001", "FOOD-RICE", {"to_shelter": "lf-001"}, InvalidInput),
    ],
)
def test_unknown_names_and_self_transfers_are_refused_and_write_nothing(
    db: Database, kind: str, shelter: str, sku: str, extra: dict, error: type
) -> None:
    before = rows_written(db)
    with pytest.raises(error):
        record(db, kind, shelter, sku, 1, **extra)
    assert rows_written(db) == before


def test_a_movement_in_the_future_is_refused(db: Database) -> None:
    before = rows_written(db)
    with pytest.raises(InvalidInput, match="future"):
        record(db, "restock", "LF-001", "FOOD-RICE", 1, at=(NOW + timedelta(hours=1)).isoformat())
    assert rows_written(db) == before


def test_a_transfer_moves_the_same_lots_between_shelters(db: Database) -> None:
    recorded = record(db, "transfer", "LF-001", "FOOD-WATER", 4, to_shelter="LF-003")
    assert recorded.movement.kind is MovementKind.TRANSFER
    assert on_hand(db, "LF-001", "FOOD-WATER") == Decimal(6)
    assert on_hand(db, "LF-003", "FOOD-WATER") == Decimal(4)
    lots = {line.item.sku: line.lots for line in ledger.stock(db, "LF-003", NOW.date()).lines}
    assert [lot.expires_on for lot in lots["FOOD-WATER"]] == [(NOW - timedelta(days=60)).date() + timedelta(days=365)]
    history = ledger.history(db, "LF-003")
    assert history[0].id == recorded.movement.id and history[0].change_at("LF-003") == Decimal(4)


def test_a_stocktake_posts_the_difference_and_says_what_was_counted(db: Database) -> None:
    recorded = record(db, "count", "LF-001", "AID-BANDAGE", "7.5")
    assert recorded.movement.kind is MovementKind.ADJUST
    assert recorded.movement.quantity == Decimal("-2.5")
    assert "counted 7.5" in recorded.movement.note
    assert on_hand(db, "LF-001", "AID-BANDAGE") == Decimal("7.5")


def test_an_equal_count_is_recorded_as_a_visit_that_changes_nothing(db: Database) -> None:
    recorded = record(db, "count", "LF-001", "AID-BANDAGE", 10)
    assert recorded.movement.quantity == 0 and recorded.movement.lines == ()
    assert on_hand(db, "LF-001", "AID-BANDAGE") == Decimal(10)


def test_expire_writes_off_only_lots_that_have_expired(db: Database) -> None:
    antidote_expiry = (NOW - timedelta(days=60)).date() + timedelta(days=180)
    written = ledger.expire(db, as_of=antidote_expiry + timedelta(days=1), now=NOW + timedelta(days=200))
    assert {(m.shelter, m.sku, m.quantity) for m in written} == {("LF-001", "AID-ANTIDOTE", Decimal(-10))}
    assert all(m.kind is MovementKind.EXPIRE for m in written)
    assert ledger.expire(db, as_of=antidote_expiry + timedelta(days=1), now=NOW + timedelta(days=200)) == []


def test_expire_refuses_a_date_in_the_future(db: Database) -> None:
    with pytest.raises(InvalidInput, match="future"):
        ledger.expire(db, as_of=NOW.date() + timedelta(days=1), now=NOW)


def test_stock_as_of_an_earlier_day_ignores_later_movements(db: Database) -> None:
    before = ledger.stock(db, "LF-002", (NOW - timedelta(days=30)).date())
    bandages = next(line for line in before.lines if line.item.sku == "AID-BANDAGE")
    assert bandages.on_hand == Decimal(10)


def test_history_lists_newest_first_and_filters_by_item(db: Database) -> None:
    history = ledger.history(db, "LF-002", "AID-BANDAGE")
    assert [m.kind for m in history] == [MovementKind.CONSUME, MovementKind.RESTOCK]
    assert [m.quantity for m in history] == [Decimal(-9), Decimal(10)]
    assert len(ledger.history(db, limit=3)) == 3


def test_quantities_keep_three_decimals_exactly(db: Database) -> None:
    record(db, "restock", "LF-003", "FOOD-RICE", "0.001")
    record(db, "restock", "LF-003", "FOOD-RICE", "1234567.125")
    assert on_hand(db, "LF-003", "FOOD-RICE") == Decimal("1234567.126")
