"""The derived balances: lot_lines summed by lot (`lot_balances`) and by shelter and item (`balances`).

The ledger stays the record. These two tables are kept equal to its sums in the same transaction as
every lot line written (`apply` for single movements, `Pending` for bulk loads), and `rebuild` makes
them again from the ledger alone. They describe the ledger's newest state, so they answer questions
"as of" any moment after the latest movement; anything earlier is summed from lot_lines.

Every par-levelled pair has a row in `balances` (zero when nothing was ever held) carrying its
minimum, so the pairs below their minimum are one read of a partial index (`sync_minimums`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, delete, exists, func, insert, literal, select, true, update
from sqlalchemy.orm import Session

from refuge.store.tables import BalanceRow, LotBalanceRow, LotLineRow, MovementRow, ParLevelRow

#: (shelter id, item id, expiry) of one lot.
LotKey = tuple[int, int, date | None]
#: Rows per statement when reading existing balances for many pairs at once (SQLite allows 32,766 parameters).
CHUNK = 5000


def latest_movement(session: Session) -> datetime | None:
    """When the newest movement occurred (an index lookup)."""
    return session.scalar(select(func.max(MovementRow.occurred_at)))


def current_at(session: Session, cutoff: datetime) -> bool:
    """True when every movement occurred before `cutoff`, so the derived balances are the ledger's sums at it."""
    latest = latest_movement(session)
    return latest is None or latest < cutoff


def apply(session: Session, lines: Iterable[tuple[int, int, date | None, Decimal]]) -> None:
    """Add one movement's lot lines (shelter id, item id, expiry, signed quantity) to the balances."""
    lots: dict[LotKey, Decimal] = defaultdict(Decimal)
    for shelter_id, item_id, expires_on, quantity in lines:
        lots[(shelter_id, item_id, expires_on)] += quantity
    pairs: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for (shelter_id, item_id, expires_on), quantity in lots.items():
        pairs[(shelter_id, item_id)] += quantity
        if quantity:
            _apply_lot(session, shelter_id, item_id, expires_on, quantity)
    for (shelter_id, item_id), quantity in pairs.items():
        changed = session.execute(
            update(BalanceRow)
            .where(BalanceRow.shelter_id == shelter_id, BalanceRow.item_id == item_id)
            .values(quantity=BalanceRow.quantity + quantity)
        )
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            # Every par-levelled pair already has a row; the look-up keeps that true if one had none.
            session.execute(insert(BalanceRow).values(shelter_id=shelter_id, item_id=item_id, quantity=quantity,
                                                      min=_minimum(shelter_id, item_id)))


def _minimum(shelter_id: int, item_id: int):  # type: ignore[no-untyped-def]
    return (select(ParLevelRow.min).where(ParLevelRow.shelter_id == shelter_id, ParLevelRow.item_id == item_id)
            .scalar_subquery())


def _lot(shelter_id: int, item_id: int, expires_on: date | None):  # type: ignore[no-untyped-def]
    expiry = LotBalanceRow.expires_on.is_(None) if expires_on is None else LotBalanceRow.expires_on == expires_on
    return (LotBalanceRow.shelter_id == shelter_id, LotBalanceRow.item_id == item_id, expiry)


def _apply_lot(session: Session, shelter_id: int, item_id: int, expires_on: date | None, quantity: Decimal) -> None:
    found = session.scalar(select(LotBalanceRow.id).where(*_lot(shelter_id, item_id, expires_on)))
    if found is None:
        session.execute(insert(LotBalanceRow).values(shelter_id=shelter_id, item_id=item_id,
                                                     expires_on=expires_on, quantity=quantity))
        return
    # Relative, so that a concurrent writer's committed change is added to, never overwritten.
    session.execute(update(LotBalanceRow).where(LotBalanceRow.id == found)
                    .values(quantity=LotBalanceRow.quantity + quantity))
    session.execute(delete(LotBalanceRow).where(LotBalanceRow.id == found, LotBalanceRow.quantity == 0))


class Pending:
    """Lot lines of a bulk load, summed in memory and written to the balances in a few statements."""

    def __init__(self) -> None:
        self.lots: dict[LotKey, Decimal] = defaultdict(Decimal)

    def add(self, shelter_id: int, item_id: int, expires_on: date | None, quantity: Decimal) -> None:
        self.lots[(shelter_id, item_id, expires_on)] += quantity

    def write(self, session: Session) -> None:
        """Merge the sums into the balances already stored for the same lots and pairs."""
        pairs: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for (shelter_id, item_id, _expires_on), quantity in self.lots.items():
            pairs[(shelter_id, item_id)] += quantity
        if not pairs:
            return
        lots, pair_totals = dict(self.lots), dict(pairs)
        stored_lots, stored_pairs = _stored(session, list(pairs))
        _merge_lots(session, lots, stored_lots)
        _merge_pairs(session, pair_totals, stored_pairs)
        shelter_ids = sorted({shelter_id for shelter_id, _ in pairs})
        for start in range(0, len(shelter_ids), CHUNK):
            sync_minimums(session, shelter_ids[start:start + CHUNK])
        self.lots.clear()


def _stored(session: Session, pairs: list[tuple[int, int]]) -> tuple[dict[LotKey, tuple[int, Decimal]],
                                                                       dict[tuple[int, int], Decimal]]:
    """The stored balances of the given pairs (nothing is read when the tables are empty, as in a fresh load)."""
    lots: dict[LotKey, tuple[int, Decimal]] = {}
    totals: dict[tuple[int, int], Decimal] = {}
    if session.scalar(select(BalanceRow.shelter_id).limit(1)) is None:
        return lots, totals
    wanted = set(pairs)
    # By shelter, then kept by pair: PostgreSQL turns a long IN list of pairs into a filter on every row.
    shelter_ids = sorted({shelter_id for shelter_id, _ in pairs})
    for start in range(0, len(shelter_ids), CHUNK):
        chunk = shelter_ids[start:start + CHUNK]
        lot_query = select(LotBalanceRow.id, LotBalanceRow.shelter_id, LotBalanceRow.item_id,
                           LotBalanceRow.expires_on, LotBalanceRow.quantity)
        for row in session.execute(lot_query.where(LotBalanceRow.shelter_id.in_(chunk))):
            if (row.shelter_id, row.item_id) in wanted:
                lots[(row.shelter_id, row.item_id, row.expires_on)] = (row.id, row.quantity)
        pair_query = select(BalanceRow.shelter_id, BalanceRow.item_id, BalanceRow.quantity)
        for shelter_id, item_id, quantity in session.execute(pair_query.where(BalanceRow.shelter_id.in_(chunk))):
            if (shelter_id, item_id) in wanted:
                totals[(shelter_id, item_id)] = quantity
    return lots, totals


def _merge_lots(session: Session, lots: dict[LotKey, Decimal], stored: dict[LotKey, tuple[int, Decimal]]) -> None:
    inserts, updates, deletes = [], [], []
    for (shelter_id, item_id, expires_on), quantity in lots.items():
        if (shelter_id, item_id, expires_on) in stored:
            row_id, held = stored[(shelter_id, item_id, expires_on)]
            if held + quantity == 0:
                deletes.append(row_id)
            elif quantity:
                updates.append({"row_id": row_id, "new": held + quantity})
        elif quantity:
            inserts.append({"shelter_id": shelter_id, "item_id": item_id, "expires_on": expires_on,
                            "quantity": quantity})
    _write(session, insert(LotBalanceRow), inserts)
    if updates:
        statement = update(LotBalanceRow).where(LotBalanceRow.id == bindparam("row_id")).values(quantity=bindparam("new"))
        session.connection().execute(statement, updates)
    for start in range(0, len(deletes), CHUNK):
        session.execute(delete(LotBalanceRow).where(LotBalanceRow.id.in_(deletes[start:start + CHUNK])))


def _merge_pairs(session: Session, pairs: dict[tuple[int, int], Decimal],
                 stored: dict[tuple[int, int], Decimal]) -> None:
    inserts = [{"shelter_id": s, "item_id": i, "quantity": q} for (s, i), q in pairs.items() if (s, i) not in stored]
    updates = [{"s": s, "i": i, "new": stored[(s, i)] + q} for (s, i), q in pairs.items() if (s, i) in stored and q]
    _write(session, insert(BalanceRow), inserts)
    if updates:
        statement = (update(BalanceRow)
                     .where(BalanceRow.shelter_id == bindparam("s"), BalanceRow.item_id == bindparam("i"))
                     .values(quantity=bindparam("new")))
        session.connection().execute(statement, updates)


def _write(session: Session, statement, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), CHUNK):
        session.connection().execute(statement, rows[start:start + CHUNK])


def sync_minimums(session: Session, shelter_ids: list[int] | None = None) -> None:
    """Give every par-levelled pair a balance (zero if it has none) and every balance its pair's minimum,
    for the given shelters or all. Run whenever par levels or balance rows are written in bulk."""
    chosen = (lambda column: column.in_(shelter_ids)) if shelter_ids is not None else (lambda _column: true())
    has_row = exists().where(BalanceRow.shelter_id == ParLevelRow.shelter_id, BalanceRow.item_id == ParLevelRow.item_id)
    missing = (select(ParLevelRow.shelter_id, ParLevelRow.item_id, literal(0), ParLevelRow.min)
               .where(chosen(ParLevelRow.shelter_id), ~has_row))
    session.execute(insert(BalanceRow).from_select(["shelter_id", "item_id", "quantity", "min"], missing))
    minimum = (select(ParLevelRow.min)
               .where(ParLevelRow.shelter_id == BalanceRow.shelter_id, ParLevelRow.item_id == BalanceRow.item_id)
               .scalar_subquery())
    session.execute(update(BalanceRow).where(chosen(BalanceRow.shelter_id)).values(min=minimum))


def rebuild(session: Session) -> tuple[int, int]:
    """Make both derived tables again from the ledger; returns (lots, pairs) written."""
    session.execute(delete(LotBalanceRow))
    session.execute(delete(BalanceRow))
    total = func.sum(LotLineRow.quantity)
    by_lot = (select(LotLineRow.shelter_id, LotLineRow.item_id, LotLineRow.expires_on, total)
              .group_by(LotLineRow.shelter_id, LotLineRow.item_id, LotLineRow.expires_on)
              .having(total != 0))
    by_pair = select(LotLineRow.shelter_id, LotLineRow.item_id, total).group_by(LotLineRow.shelter_id, LotLineRow.item_id)
    session.execute(insert(LotBalanceRow).from_select(["shelter_id", "item_id", "expires_on", "quantity"], by_lot))
    session.execute(insert(BalanceRow).from_select(["shelter_id", "item_id", "quantity"], by_pair))
    sync_minimums(session)
    return (session.scalar(select(func.count()).select_from(LotBalanceRow)) or 0,
            session.scalar(select(func.count()).select_from(BalanceRow)) or 0)
