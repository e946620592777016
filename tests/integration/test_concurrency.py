"""Writers racing for the same stock: the ledger serialises them, so no balance goes negative."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from refuge.domain.errors import InsufficientStock
from refuge.services import ledger
from refuge.services.requests import movement_request
from refuge.store.database import Database
from tests.factories import NOW


def consume_two(db: Database, number: int) -> str:
    try:
        ledger.record(db, movement_request("consume", "LF-001", "FOOD-RICE", 2, key=f"race-{number}"), now=NOW)
    except InsufficientStock:
        return "refused"
    return "recorded"


def test_eight_concurrent_consumptions_of_two_from_ten_leave_exactly_zero(db: Database) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda n: consume_two(db, n), range(8)))
    assert outcomes.count("recorded") == 5 and outcomes.count("refused") == 3
    rice = next(line for line in ledger.stock(db, "LF-001", NOW.date()).lines if line.item.sku == "FOOD-RICE")
    assert rice.on_hand == Decimal(0)


def test_the_same_key_sent_twice_at_once_is_written_once(db: Database) -> None:
    request = movement_request("restock", "LF-003", "WPN-KUNAI", 3, key="twice")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: ledger.record(db, request, now=NOW), range(2)))
    assert sorted(r.replayed for r in results) == [False, True]
    assert results[0].movement.id == results[1].movement.id
