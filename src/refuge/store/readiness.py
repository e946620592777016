"""The facts readiness is judged on, gathered for every shelter in a few set-based queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select, true, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from refuge.domain.defences import Defence, DefenceState, DefenceTest, TestResult, state_of
from refuge.domain.ledger import VISIT_KINDS, MovementKind
from refuge.domain.network import ShelterStatus
from refuge.domain.readiness import ExpiredLot, ShelterFacts, Shortfall
from refuge.store import balances
from refuge.store.ledger import expired_lots
from refuge.store.tables import (
    BalanceRow,
    DefenceRow,
    DefenceTestRow,
    ItemRow,
    LotBalanceRow,
    LotLineRow,
    MovementRow,
    ParLevelRow,
    ShelterRow,
)
from refuge.store.types import Quantity, UtcDateTime


def facts(session: Session, as_of: date, cutoff: datetime, from_balances: bool = True) -> dict[str, ShelterFacts]:
    """Facts for every shelter on `as_of`, from what occurred before `cutoff` (the end of that day).

    Stock comes from the derived balances when every movement occurred before `cutoff` (and
    `from_balances` allows it), else from summing the ledger's lot lines up to `cutoff`.
    """
    register = list(_read(session, select(ShelterRow.id, ShelterRow.code, ShelterRow.status)))
    shelters = {shelter_id: code for shelter_id, code, _status in register}
    # Per kind of fact, only the shelters that have one: most shelters have few, and every object kept
    # alive until the end makes the collector's full passes longer.
    short: dict[str, list[Shortfall]] = defaultdict(list)
    empty: dict[str, list[str]] = defaultdict(list)
    expired_on_shelf: dict[str, list[ExpiredLot]] = defaultdict(list)
    defences: dict[str, list[DefenceState]] = defaultdict(list)
    visited: dict[str, datetime] = {}
    # The ledger is summed once: an empty category is one whose every stocked item is short with nothing usable.
    if from_balances and balances.current_at(session, cutoff):
        shortfalls, expired = _current_stock(session, as_of)
    else:  # a moment before the latest movement: sum the ledger up to it
        shortfalls = list(_read(session, _shortfalls(_usable(as_of, cutoff))))
        expired = list(_read(session, expired_lots(as_of, cutoff)))
    empty_items: dict[tuple[int, str], int] = {}
    for shelter_id, category, sku, low, have in shortfalls:
        short[shelters[shelter_id]].append(Shortfall(sku, have, low))
        if have <= 0 and low > 0:
            empty_items[(shelter_id, category)] = empty_items.get((shelter_id, category), 0) + 1
    for shelter_id, category, stocked in _read(session, _stocked_categories(sorted({s for s, _ in empty_items}))):
        if empty_items.get((shelter_id, category)) == stocked:
            empty[shelters[shelter_id]].append(category)
    for shelter_id, _item, sku, expires_on, quantity in expired:
        expired_on_shelf[shelters[shelter_id]].append(ExpiredLot(sku, expires_on, quantity))
    for defence, tests in _defences_with_last_test(session, cutoff):
        state = state_of(defence, tests, as_of)
        defences[defence.shelter].append(state)
        _note_visit(visited, defence.shelter, state.last_tested)  # a defence test is a visit
    for shelter_id, last in _last_visits(session, cutoff):
        _note_visit(visited, shelters[shelter_id], last)
    return {
        code: ShelterFacts(code, ShelterStatus(status), short.get(code, []), empty.get(code, []),
                           expired_on_shelf.get(code, []), defences.get(code, []), visited.get(code))
        for _id, code, status in sorted(register, key=lambda row: row[1])
    }


def _read(session: Session, query) -> Iterator:  # type: ignore[no-untyped-def]
    """Rows of a column query on the session's connection (the ORM's row handling is not needed for
    tuples), fetched a few thousand at a time: psycopg is slow row by row, and rows not yet needed are
    not kept."""
    for rows in session.connection().execute(query).partitions(FETCH):
        yield from rows


#: Rows fetched at a time.
FETCH = 2000


def _note_visit(visited: dict[str, datetime], code: str, moment: datetime | None) -> None:
    if moment is not None and (code not in visited or moment > visited[code]):
        visited[code] = moment


Row = tuple


def _current_stock(session: Session, as_of: date) -> tuple[list[Row], list[Row]]:
    """(shortfalls, expired lots) on `as_of` from the derived balances, in the shapes of `_shortfalls` and
    `expired_lots`. Usable stock is the balance less the lots expired by then, which are few and indexed."""
    items = {item_id: (category, sku) for item_id, category, sku in _read(session,
        select(ItemRow.id, ItemRow.category, ItemRow.sku))}
    expired: list[Row] = []
    gone: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for shelter_id, item_id, expires_on, quantity in _read(session,
        select(LotBalanceRow.shelter_id, LotBalanceRow.item_id, LotBalanceRow.expires_on, LotBalanceRow.quantity)
        .where(LotBalanceRow.expires_on < as_of)  # no ORDER BY: sorting by pair would walk every lot's index entry
    ):
        gone[(shelter_id, item_id)] += quantity
        if quantity > 0:
            expired.append((shelter_id, item_id, items[item_id][1], expires_on, quantity))
    shortfalls = []
    for shelter_id, item_id, low, have in _read(session, _below_min()):
        if (shelter_id, item_id) not in gone:
            shortfalls.append((shelter_id, *items[item_id], low, have))
    shelter_ids = sorted({shelter_id for shelter_id, _ in gone})
    item_ids = sorted({item_id for _, item_id in gone})
    for start in range(0, len(shelter_ids), balances.CHUNK):
        query = _with_balance(shelter_ids[start:start + balances.CHUNK], item_ids)
        for shelter_id, item_id, low, have in _read(session, query):
            if (shelter_id, item_id) in gone and (usable := have - gone[(shelter_id, item_id)]) < low:
                shortfalls.append((shelter_id, *items[item_id], low, usable))
    return shortfalls, expired


def _below_min():  # type: ignore[no-untyped-def]
    """Every par-levelled (shelter, item) whose whole balance is below its minimum (a partial index holds them)."""
    return (select(BalanceRow.shelter_id, BalanceRow.item_id, BalanceRow.min, BalanceRow.quantity)
            .where(BalanceRow.quantity < BalanceRow.min))


def _with_balance(shelter_ids: list[int], item_ids: list[int]):  # type: ignore[no-untyped-def]
    """The minimum and whole balance of the par-levelled items of the given shelters.

    Two plain IN lists: PostgreSQL turns a long IN list of (shelter, item) pairs into a filter on every row.
    """
    return (select(BalanceRow.shelter_id, BalanceRow.item_id, BalanceRow.min, BalanceRow.quantity)
            .where(BalanceRow.shelter_id.in_(shelter_ids), BalanceRow.item_id.in_(item_ids),
                   BalanceRow.min.is_not(None)))


def _usable(as_of: date, cutoff: datetime):  # type: ignore[no-untyped-def]
    """Usable (unexpired) quantity per shelter and item, as a subquery."""
    good = or_(LotLineRow.expires_on.is_(None), LotLineRow.expires_on >= as_of)
    return (
        select(
            LotLineRow.shelter_id,
            LotLineRow.item_id,
            func.sum(case((good, LotLineRow.quantity), else_=0)).label("quantity"),
        )
        .where(LotLineRow.occurred_at < cutoff)
        .group_by(LotLineRow.shelter_id, LotLineRow.item_id)
        .subquery()
    )


def _shortfalls(usable):  # type: ignore[no-untyped-def]
    """(shelter id, category, sku, min, usable) of every par-levelled item below its minimum."""
    have = func.coalesce(usable.c.quantity, 0)
    return (
        select(ParLevelRow.shelter_id, ItemRow.category, ItemRow.sku, ParLevelRow.min, type_coerce(have, Quantity))
        .join(ItemRow, ItemRow.id == ParLevelRow.item_id)
        .outerjoin(usable, and_(usable.c.shelter_id == ParLevelRow.shelter_id, usable.c.item_id == ParLevelRow.item_id))
        .where(have < ParLevelRow.min)
    )


#: Beyond this many shelters, counting every shelter's categories is cheaper than a long IN list.
MAX_LISTED = 2000


def _stocked_categories(shelter_ids: list[int]):  # type: ignore[no-untyped-def]
    """(shelter id, category, items with a minimum above zero) for the given shelters."""
    return (
        select(ParLevelRow.shelter_id, ItemRow.category, func.count())
        .join(ItemRow, ItemRow.id == ParLevelRow.item_id)
        .where(ParLevelRow.min > 0)
        .where(ParLevelRow.shelter_id.in_(shelter_ids) if len(shelter_ids) <= MAX_LISTED else true())
        .group_by(ParLevelRow.shelter_id, ItemRow.category)
    )


def _defences_with_last_test(session: Session, cutoff: datetime):  # type: ignore[no-untyped-def]
    """Every defence with its last test before `cutoff` (all a defence's state on a day depends on)."""
    last: dict[int, tuple[datetime, str]] = {}
    for defence_id, tested_at, result in _read(session,
        select(DefenceTestRow.defence_id, DefenceTestRow.tested_at, DefenceTestRow.result)
        .where(DefenceTestRow.tested_at < cutoff).order_by(DefenceTestRow.tested_at, DefenceTestRow.id)
    ):
        last[defence_id] = (tested_at, result)
    query = (
        select(DefenceRow.id, ShelterRow.code, DefenceRow.code, DefenceRow.kind, DefenceRow.name,
               DefenceRow.test_interval_days, DefenceRow.installed_on, DefenceRow.charge_life_days)
        .join(ShelterRow, ShelterRow.id == DefenceRow.shelter_id)
    )
    for defence_id, shelter, code, kind, name, interval, installed_on, charge_life in _read(session, query):
        defence = Defence(shelter, code, kind, name, interval, installed_on, charge_life)
        test = last.get(defence_id)
        yield defence, [DefenceTest(shelter, code, test[0], TestResult(test[1]))] if test else []


def _last_visits(session: Session, cutoff: datetime):  # type: ignore[no-untyped-def]
    """When each shelter was last restocked, counted, written off or sent stock (its defences' last tests,
    the other kind of visit, come with the defences).

    One indexed look-up per shelter and kind (the newest before `cutoff`) instead of grouping every movement.
    """
    # ORDER BY ... LIMIT 1 reads one entry of the (shelter, kind, occurred_at) index; SQLite's max() here
    # would walk the whole range.
    here = [
        select(MovementRow.occurred_at)
        .where(MovementRow.shelter_id == ShelterRow.id, MovementRow.kind == kind.value, MovementRow.occurred_at < cutoff)
        .order_by(MovementRow.occurred_at.desc()).limit(1).scalar_subquery()
        for kind in sorted(VISIT_KINDS)
    ]
    # Transfers into a shelter are few: the to_shelter index and a max() over them.
    delivered = (
        select(func.max(MovementRow.occurred_at))
        .where(MovementRow.to_shelter_id == ShelterRow.id, MovementRow.kind == MovementKind.TRANSFER.value,
               MovementRow.occurred_at < cutoff)
        .scalar_subquery()
    )
    yield from _read(session, select(ShelterRow.id, Latest(*here, delivered)))


class Latest(FunctionElement):  # type: ignore[type-arg]
    """The newest of several moments, leaving out the missing ones (missing when all are)."""

    type = UtcDateTime()
    inherit_cache = True
    name = "latest"


@compiles(Latest)
def _latest(element: Latest, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"GREATEST({compiler.process(element.clauses, **kw)})"  # which leaves NULLs out


@compiles(Latest, "sqlite")
def _latest_sqlite(element: Latest, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    # SQLite's max() of several values is NULL when any of them is; its moments are ISO text, after ''.
    moments = ", ".join(f"coalesce({compiler.process(clause, **kw)}, '')" for clause in element.clauses)
    return f"nullif(max({moments}), '')"
