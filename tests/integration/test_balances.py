"""The derived balances always equal the ledger's sums, whatever movements are recorded or refused."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from refuge.domain.errors import IdempotencyConflict, InsufficientStock, InvalidInput
from refuge.domain.ledger import build_movement, lots_from
from refuge.domain.readiness import assess
from refuge.services import ledger
from refuge.services.clock import end_of
from refuge.services.requests import movement_request
from refuge.store import balances, loading
from refuge.store import ledger as store_ledger
from refuge.store import readiness as readiness_store
from refuge.store.database import Database
from refuge.store.ledger import id_maps
from refuge.store.tables import BalanceRow, LotBalanceRow, LotLineRow, MovementRow, ParLevelRow
from tests.factories import ITEMS, NOW, SHELTERS, request

CODES = [shelter.code for shelter in SHELTERS]
SKUS = [item.sku for item in ITEMS]
TODAY = NOW.date()


def derived(db: Database) -> tuple[dict, dict]:
    """(lots, balances with their minimums) as the derived tables hold them."""
    with db.reading() as session:
        lots = {(s, i, e): q for s, i, e, q in session.execute(
            select(LotBalanceRow.shelter_id, LotBalanceRow.item_id, LotBalanceRow.expires_on, LotBalanceRow.quantity))}
        pairs = {(s, i): (q, low) for s, i, q, low in session.execute(
            select(BalanceRow.shelter_id, BalanceRow.item_id, BalanceRow.quantity, BalanceRow.min))}
    return lots, pairs


def from_ledger(db: Database) -> tuple[dict, dict]:
    """(lots, balances) summed from every lot line, through the domain's own `lots_from`; every pair that
    ever held stock or has a par level has a balance, with its par level's minimum (None without one)."""
    lines: dict[tuple[int, int], list] = defaultdict(list)
    with db.reading() as session:
        for s, i, e, q in session.execute(
            select(LotLineRow.shelter_id, LotLineRow.item_id, LotLineRow.expires_on, LotLineRow.quantity)
        ):
            lines[(s, i)].append((e, q))
        minimums = {(s, i): low for s, i, low in session.execute(
            select(ParLevelRow.shelter_id, ParLevelRow.item_id, ParLevelRow.min))}
    lots = {(s, i, lot.expires_on): lot.quantity for (s, i), found in lines.items() for lot in lots_from(found)}
    pairs = {pair: (sum((q for _, q in lines.get(pair, [])), Decimal(0)), minimums.get(pair))
             for pair in lines.keys() | minimums.keys()}
    return lots, pairs


def readiness_both_ways(db: Database, as_of=TODAY):  # type: ignore[no-untyped-def]
    with db.reading() as session:
        fast = readiness_store.facts(session, as_of, end_of(as_of))
        slow = readiness_store.facts(session, as_of, end_of(as_of), from_balances=False)
    return [assess(f, as_of) for f in fast.values()], [assess(f, as_of) for f in slow.values()]


def rows_written(db: Database) -> tuple[int, int, int]:
    with db.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[return-value]
                     for table in (MovementRow, LotLineRow, LotBalanceRow))


steps = st.lists(
    st.tuples(
        st.sampled_from(["restock", "restock", "consume", "consume", "count", "transfer", "expire"]),
        st.sampled_from(CODES), st.sampled_from(SKUS), st.integers(1, 12),
        st.sampled_from([None, -40, -3, 0, 20, 400]),  # expiry, in days from today (None: the item's default)
        st.sampled_from(CODES),
        st.one_of(st.none(), st.sampled_from(["k1", "k2", "k3"])),  # a few keys, so that some are replayed
        st.integers(1, 1500),  # hours ago (up to two months, so that lots can expire after arriving)
    ),
    min_size=1, max_size=12,
)


def _record(db: Database, step: tuple) -> None:
    kind, code, sku, quantity, expiry, other, key, hours_ago = step
    if kind == "expire":
        ledger.expire(db, as_of=TODAY, now=NOW)
        return
    expires = (TODAY + timedelta(days=expiry)).isoformat() if expiry is not None and kind == "restock" else None
    request = movement_request(kind, code, sku, quantity, to_shelter=other if kind == "transfer" else None,
                               expires=expires, at=(NOW - timedelta(hours=hours_ago)).isoformat(), key=key)
    before = rows_written(db)
    try:
        ledger.record(db, request, now=NOW)
    except (InsufficientStock, IdempotencyConflict, InvalidInput):
        assert rows_written(db) == before  # a refusal writes nothing, in the ledger or the balances


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_the_derived_balances_equal_the_ledger_after_any_movements(db: Database, steps: list[tuple]) -> None:
    for step in steps:
        _record(db, step)
    assert derived(db) == from_ledger(db)
    fast, slow = readiness_both_ways(db)
    assert fast == slow


def test_the_loaded_history_is_in_the_derived_balances(db: Database) -> None:
    lots, pairs = derived(db)
    assert lots and (lots, pairs) == from_ledger(db)


def test_a_lot_used_up_leaves_no_derived_row(db: Database) -> None:
    ledger.record(db, movement_request("restock", "LF-003", "WPN-KUNAI", 4, at=(NOW - timedelta(hours=2)).isoformat()),
                  now=NOW)
    ledger.record(db, movement_request("consume", "LF-003", "WPN-KUNAI", 4, at=(NOW - timedelta(hours=1)).isoformat()),
                  now=NOW)
    lots, pairs = derived(db)
    with db.reading() as session:
        shelter_id = session.scalar(select(LotLineRow.shelter_id).order_by(LotLineRow.id.desc()).limit(1))
    assert not [key for key in lots if key[0] == shelter_id]
    assert Decimal(0) in {q for (s, _), (q, _low) in pairs.items() if s == shelter_id}


def test_rebuilding_from_the_ledger_repairs_damaged_balances(db: Database) -> None:
    with db.writing() as session:
        session.execute(LotBalanceRow.__table__.delete())
        session.execute(BalanceRow.__table__.update().values(quantity=999_000, min=None))
    with db.writing() as session:
        lots, pairs = balances.rebuild(session)
    assert derived(db) == from_ledger(db)
    assert (lots, pairs) == tuple(len(found) for found in from_ledger(db))


def test_readiness_before_the_latest_movement_is_summed_from_the_ledger(db: Database) -> None:
    """A past day must not see stock that arrived after it; the derived balances hold only the present."""
    earlier = TODAY - timedelta(days=30)
    ledger.record(db, movement_request("restock", "LF-003", "FOOD-RICE", 9, at=(NOW - timedelta(hours=1)).isoformat()),
                  now=NOW)
    fast, slow = readiness_both_ways(db, earlier)
    assert fast == slow
    with db.reading() as session:
        assert not balances.current_at(session, end_of(earlier))
        assert balances.current_at(session, end_of(TODAY))


def test_stock_past_its_expiry_is_short_in_readiness_from_the_balances(db: Database) -> None:
    """The balance covers the minimum, but the lot has expired: below minimum, and expired on the shelf."""
    expired = (TODAY - timedelta(days=3)).isoformat()
    ledger.record(db, movement_request("restock", "LF-003", "FOOD-RICE", 5, expires=expired,
                                       at=(NOW - timedelta(days=10)).isoformat()), now=NOW)
    fast, slow = readiness_both_ways(db)
    assert fast == slow
    reasons = {reason.rule: reason.message for reason in next(r for r in fast if r.shelter == "LF-003").reasons}
    assert "FOOD-RICE (0/3)" in reasons["below-min"]
    assert "FOOD-RICE (expired" in reasons["expired-lots"]


def test_the_rebuild_stock_command_says_what_it_rebuilt(sqlite_db: Database) -> None:
    from typer.testing import CliRunner

    from refuge.cli.main import app

    with sqlite_db.writing() as session:
        session.execute(BalanceRow.__table__.delete())
    result = CliRunner().invoke(app, ["--db", str(sqlite_db.engine.url.database), "rebuild-stock", "--json"])
    assert result.exit_code == 0, result.output
    lots, pairs = from_ledger(sqlite_db)
    assert json.loads(result.output) == {"lots": len(lots), "balances": len(pairs)}
    assert derived(sqlite_db) == (lots, pairs)


def test_a_bulk_load_onto_stored_balances_merges_into_them(db: Database) -> None:
    """Using up a stored lot, adding to one, and opening new ones in one load leaves the balances exact."""
    items = {item.sku: item for item in ITEMS}
    with db.reading() as session:
        ids = id_maps(session)
        held = {(code, sku): store_ledger.lots(session, ids.shelter[code], ids.item[sku])
                for code, sku in [("LF-001", "FOOD-RICE"), ("LF-001", "FOOD-WATER"), ("LF-003", "WPN-KUNAI")]}
    water_expiry = held[("LF-001", "FOOD-WATER")][0].expires_on
    asked = [
        request("consume", "LF-001", "FOOD-RICE", "10", 2),
        request("restock", "LF-001", "FOOD-WATER", "3", 2, expires_on=water_expiry),
        request("restock", "LF-003", "WPN-KUNAI", "4", 2),
    ]
    movements = [build_movement(r, items[r.sku], held[(r.shelter, r.sku)], NOW) for r in asked]
    with db.writing() as session:
        loading.load_movements(session, movements, id_maps(session))
    lots, pairs = derived(db)
    assert (lots, pairs) == from_ledger(db)
    with db.reading() as session:
        ids = id_maps(session)
    assert not [key for key in lots if key[:2] == (ids.shelter["LF-001"], ids.item["FOOD-RICE"])]
    assert lots[(ids.shelter["LF-001"], ids.item["FOOD-WATER"], water_expiry)] == Decimal(13)
    assert pairs[(ids.shelter["LF-003"], ids.item["WPN-KUNAI"])][0] == Decimal(4)
