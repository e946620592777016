"""Use cases of the stock ledger: record a movement, write off expired stock, read stock and history."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from refuge.domain.errors import IdempotencyConflict, InvalidInput
from refuge.domain.ledger import (
    ZERO,
    Lot,
    Movement,
    MovementRequest,
    RequestKind,
    build_movement,
    on_hand,
    redacted,
    write_offs,
)
from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.network import Item, ParLevel, Shelter
from refuge.domain.values import check_not_future, utc_now
from refuge.services.clock import end_of
from refuge.store import balances
from refuge.store import ledger as store
from refuge.store import register
from refuge.store.database import Database


@dataclass(frozen=True)
class Recorded:
    movement: Movement
    #: True when the idempotency key had been seen: nothing was written, the original is returned.
    replayed: bool


def record(db: Database, request: MovementRequest, now: datetime | None = None,
           clearance: int = FULL_CLEARANCE) -> Recorded:
    """Record a restock, consumption, stocktake count or transfer in one transaction.

    Replaying an idempotency key with the same content returns the original movement and writes
    nothing; the same key with other content is an IdempotencyConflict. Any refusal writes nothing.
    A shelter classified above `clearance` (at either end) is an UnknownShelter.
    """
    now = now or utc_now()
    if request.occurred_at is not None:
        check_not_future(request.occurred_at, now)
    if request.kind is RequestKind.TRANSFER and request.to_shelter and request.to_shelter.upper() == request.shelter.upper():
        raise InvalidInput(f"cannot transfer from {request.shelter} to itself: choose another shelter")
    try:
        with db.writing() as session:
            shelter = register.shelter_row(session, request.shelter, lock=True, clearance=clearance)
            to = (register.shelter_row(session, request.to_shelter, lock=True, clearance=clearance)
                  if request.to_shelter else None)
            item = register.item_row(session, request.sku)
            person = register.person_row(session, request.by) if request.by else None
            request = replace(request, shelter=shelter.code, sku=item.sku, to_shelter=to.code if to else None,
                              by=person.handle if person else None)
            if request.key and (earlier := store.movement_by_key(session, request.key)):
                return _replay(earlier, request)
            movement = _described(request, build_movement(request, register.to_item(item),
                                                          store.lots(session, shelter.id, item.id), now))
            ids = store.IdMaps({shelter.code: shelter.id, **({to.code: to.id} if to else {})},
                               {item.sku: item.id}, {person.handle: person.id} if person else {})
            return Recorded(replace(movement, id=store.add_movement(session, movement, ids)), False)
    except IntegrityError:
        # Another writer took the same key between our check and our insert.
        if request.key:
            with db.reading() as session:
                if earlier := store.movement_by_key(session, request.key):
                    return _replay(earlier, request)
        raise


def _replay(earlier: Movement, request: MovementRequest) -> Recorded:
    if earlier.fingerprint != request.fingerprint():
        raise IdempotencyConflict(request.key or "")
    return Recorded(earlier, True)


def _described(request: MovementRequest, movement: Movement) -> Movement:
    """A stocktake's movement says what was counted, so the history explains the difference."""
    if request.kind is not RequestKind.COUNT:
        return movement
    counted = f"stocktake counted {request.quantity:f}"
    return replace(movement, source=request.source or "stocktake",
                   note=f"{counted}: {request.note}" if request.note else counted)


def expire(db: Database, as_of: date | None = None, by: str | None = None,
           now: datetime | None = None, clearance: int = FULL_CLEARANCE) -> list[Movement]:
    """Write off every lot that expired before `as_of` (default today), in one transaction, at every
    shelter cleared for `clearance` (all, by default)."""
    now = now or utc_now()
    as_of = as_of or now.date()
    if as_of > now.date():
        raise InvalidInput(f"as-of date {as_of} is in the future: stock cannot be written off before it expires")
    written: list[Movement] = []
    with db.writing() as session:
        person = register.person_row(session, by) if by else None
        codes = register.codes_by_id(session)
        visible = register.visible_codes(session, clearance)
        expired = [row for row in session.execute(store.expired_lots(as_of)).all() if codes[row[0]] in visible]
        ids = store.IdMaps({code: sid for sid, code in codes.items()}, {sku: iid for _, iid, sku, _, _ in expired},
                           {person.handle: person.id} if person else {})
        for shelter_id, _item_id, sku, expires_on, quantity in expired:
            for movement in write_offs(codes[shelter_id], sku, [Lot(expires_on, quantity)], as_of, now, now,
                                       person.handle if person else None):
                written.append(replace(movement, id=store.add_movement(session, movement, ids)))
    return written


@dataclass(frozen=True)
class Rebuilt:
    lots: int
    balances: int


def rebuild_stock(db: Database) -> Rebuilt:
    """Make the derived balances (by lot, and by shelter and item) again from the ledger, in one transaction.

    They are kept up to date with every movement; this repairs them if they were ever changed by hand
    or filled by another program writing the ledger directly.
    """
    with db.writing() as session:
        lots, pairs = balances.rebuild(session)
    return Rebuilt(lots, pairs)


@dataclass(frozen=True)
class StockLine:
    item: Item
    lots: list[Lot]
    on_hand: Decimal
    usable: Decimal
    expired: Decimal
    par: ParLevel | None


@dataclass(frozen=True)
class ShelterStock:
    shelter: Shelter
    as_of: date
    lines: list[StockLine]


def stock(db: Database, code: str, as_of: date | None = None, clearance: int = FULL_CLEARANCE) -> ShelterStock:
    """What a shelter holds (or held at the end of `as_of`), item by item and lot by lot, beside its par levels."""
    as_of = as_of or utc_now().date()
    with db.reading() as session:
        row = register.shelter_row(session, code, clearance=clearance)
        lots = store.lots_by_item(session, row.id, end_of(as_of))
        pars = register.par_levels(session, row.id)
        items = [item for item in register.items(session) if item.sku in lots or item.sku in pars]
        lines = []
        for item in items:
            held = lots.get(item.sku, [])
            expired = sum((lot.quantity for lot in held if lot.expired(as_of)), ZERO)
            total = on_hand(held)
            lines.append(StockLine(item, held, total, total - expired, expired, pars.get(item.sku)))
        return ShelterStock(register.to_shelter(row), as_of, lines)


def history(db: Database, shelter: str | None = None, sku: str | None = None,
            limit: int | None = None, clearance: int = FULL_CLEARANCE) -> list[Movement]:
    """Movements newest first, of one shelter (both ends of its transfers) and/or one item, at the
    shelters cleared for `clearance`; the far end of a transfer beyond it is named only as classified."""
    if limit is not None and limit <= 0:
        raise InvalidInput(f"limit must be a positive number, not {limit}")
    with db.reading() as session:
        shelter_id = register.shelter_row(session, shelter, clearance=clearance).id if shelter else None
        item_id = register.item_row(session, sku).id if sku else None
        if clearance >= FULL_CLEARANCE:
            return store.history(session, shelter_id, item_id, limit)
        visible = register.visible_codes(session, clearance)
        ids = [i for i, code in register.codes_by_id(session).items() if code in visible]
        return [redacted(m, visible) for m in store.history(session, shelter_id, item_id, limit, ids)]
