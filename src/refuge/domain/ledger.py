"""The stock ledger: immutable movements, the lots they leave behind, and the rules for new ones.

A movement is what someone recorded (a restock, a consumption, a stocktake adjustment, an expiry
write-off, a transfer). It is split into lot lines, one per shelter and expiry date it touches, and
every balance is the sum of lot lines. Nothing here is ever edited: a correction is a new movement.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from refuge.domain.errors import InsufficientStock, InvalidInput
from refuge.domain.network import Item

ZERO = Decimal(0)


class MovementKind(StrEnum):
    RESTOCK = "restock"
    CONSUME = "consume"
    ADJUST = "adjust"
    EXPIRE = "expire"
    TRANSFER = "transfer"


class RequestKind(StrEnum):
    """What a person asks to record; a count becomes an `adjust` movement for the difference."""

    RESTOCK = "restock"
    CONSUME = "consume"
    COUNT = "count"
    TRANSFER = "transfer"


#: Movements that mean somebody looked after the shelter (for readiness's "no visit in N days").
VISIT_KINDS = frozenset({MovementKind.RESTOCK, MovementKind.ADJUST, MovementKind.EXPIRE})


@dataclass(frozen=True)
class LotLine:
    shelter: str
    expires_on: date | None
    quantity: Decimal


@dataclass(frozen=True)
class Lot:
    """Stock of one item at one shelter sharing one expiry date (None: it does not expire)."""

    expires_on: date | None
    quantity: Decimal

    def expired(self, as_of: date) -> bool:
        """A lot is good through its expiry date and expired from the day after."""
        return self.expires_on is not None and self.expires_on < as_of


def fefo_order(expires_on: date | None) -> tuple[bool, date]:
    """Sort key for first-expiry-first-out: earliest date first, lots that never expire last."""
    return (expires_on is None, expires_on or date.max)


def lots_from(lines: Iterable[tuple[date | None, Decimal]]) -> list[Lot]:
    """The lots that a set of (expiry, quantity) lines leaves, in FEFO order, empty lots dropped."""
    totals: dict[date | None, Decimal] = defaultdict(lambda: ZERO)
    for expires_on, quantity in lines:
        totals[expires_on] += quantity
    return [Lot(e, q) for e, q in sorted(totals.items(), key=lambda pair: fefo_order(pair[0])) if q != 0]


def on_hand(lots: Iterable[Lot]) -> Decimal:
    return sum((lot.quantity for lot in lots), ZERO)


@dataclass(frozen=True)
class MovementRequest:
    """A request to record stock, as a person gave it. Absent times mean "now"; absent expiry, the default."""

    kind: RequestKind
    shelter: str
    sku: str
    quantity: Decimal
    occurred_at: datetime | None = None
    by: str | None = None
    note: str = ""
    source: str = ""
    key: str | None = None
    expires_on: date | None = None
    to_shelter: str | None = None

    def fingerprint(self) -> str:
        """A digest of everything the person said but the key, to tell a replay from a conflicting reuse."""
        content = {
            "kind": str(self.kind),
            "shelter": self.shelter,
            "to_shelter": self.to_shelter,
            "sku": self.sku,
            "quantity": str(self.quantity.normalize()),
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            "by": self.by,
            "note": self.note,
            "source": self.source,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Movement:
    kind: MovementKind
    shelter: str
    sku: str
    quantity: Decimal
    occurred_at: datetime
    recorded_at: datetime
    lines: tuple[LotLine, ...]
    to_shelter: str | None = None
    by: str | None = None
    source: str = ""
    note: str = ""
    key: str | None = None
    fingerprint: str = ""
    id: int | None = field(default=None, compare=False)

    def change_at(self, shelter: str) -> Decimal:
        """What this movement did to the balance of `shelter`."""
        return sum((line.quantity for line in self.lines if line.shelter == shelter), ZERO)


#: How the far end of a transfer reads to someone not cleared for that shelter.
CLASSIFIED = "classified"


def redacted(movement: Movement, visible: set[str]) -> Movement:
    """A movement as someone who knows only the shelters `visible` sees it: the far end of a transfer
    to or from a shelter they are not cleared for is named only as classified, and its lot lines there
    are left out, so what it did at the shelter they know stays exact."""
    ends = {movement.shelter, movement.to_shelter} - {None}
    if ends <= visible:
        return movement
    return replace(movement, shelter=movement.shelter if movement.shelter in visible else CLASSIFIED,
                   to_shelter=movement.to_shelter if movement.to_shelter in visible else CLASSIFIED,
                   lines=tuple(line for line in movement.lines if line.shelter in visible))


def draw_fefo(lots: list[Lot], quantity: Decimal) -> list[tuple[date | None, Decimal]] | None:
    """Take `quantity` from the earliest-expiring lots first; None if the lots hold less than that."""
    taken: list[tuple[date | None, Decimal]] = []
    left = quantity
    for lot in sorted(lots, key=lambda lot: fefo_order(lot.expires_on)):
        if left <= 0:
            break
        if lot.quantity <= 0:
            continue
        portion = min(lot.quantity, left)
        taken.append((lot.expires_on, portion))
        left -= portion
    return taken if left <= 0 else None


def default_expiry(item: Item, received: date) -> date | None:
    """Fresh stock keeps for the item's shelf life from the day it is received."""
    return received + timedelta(days=item.shelf_life_days) if item.shelf_life_days else None


def build_movement(request: MovementRequest, item: Item, lots: list[Lot], recorded_at: datetime) -> Movement:
    """The movement that records `request` against the current `lots` of the item at the shelter.

    Raises InsufficientStock when a consumption, transfer or stocktake would take more than is on hand.
    """
    occurred_at = request.occurred_at or recorded_at
    shelter = request.shelter
    if request.quantity < 0 or (request.quantity == 0 and request.kind is not RequestKind.COUNT):
        raise InvalidInput(f"quantity must be a positive number, not {request.quantity}")
    if request.kind is RequestKind.RESTOCK:
        expires_on = request.expires_on or default_expiry(item, occurred_at.date())
        if expires_on is not None:
            _fresh(expires_on, occurred_at.date(), "restock")
        kind, lines = MovementKind.RESTOCK, [LotLine(shelter, expires_on, request.quantity)]
    elif request.kind is RequestKind.CONSUME:
        kind, lines = MovementKind.CONSUME, _draw(shelter, item, lots, request.quantity)
    elif request.kind is RequestKind.TRANSFER:
        if request.to_shelter is None or request.to_shelter == shelter:
            raise InvalidInput(f"a transfer needs two different shelters (got {shelter} to {request.to_shelter})")
        out = _draw(shelter, item, lots, request.quantity)
        kind = MovementKind.TRANSFER
        lines = out + [LotLine(request.to_shelter, line.expires_on, -line.quantity) for line in out]
    else:
        kind, lines = MovementKind.ADJUST, _stocktake(request, item, lots, occurred_at.date())
    return Movement(
        kind=kind,
        shelter=shelter,
        sku=item.sku,
        quantity=sum((line.quantity for line in lines if line.shelter == shelter), ZERO),
        occurred_at=occurred_at,
        recorded_at=recorded_at,
        lines=tuple(lines),
        to_shelter=request.to_shelter if kind is MovementKind.TRANSFER else None,
        by=request.by,
        source=request.source,
        note=request.note,
        key=request.key,
        fingerprint=request.fingerprint(),
    )


def _draw(shelter: str, item: Item, lots: list[Lot], quantity: Decimal) -> list[LotLine]:
    taken = draw_fefo(lots, quantity)
    if taken is None:
        raise InsufficientStock(shelter, item.sku, on_hand(lots), quantity)
    return [LotLine(shelter, expires_on, -portion) for expires_on, portion in taken]


def _stocktake(request: MovementRequest, item: Item, lots: list[Lot], counted_on: date) -> list[LotLine]:
    """Lines that bring the ledger to the counted quantity: a shortfall comes off the earliest lots,
    a surplus goes into the given expiry, else the latest unexpired lot on the shelf, else fresh stock."""
    difference = request.quantity - on_hand(lots)
    if difference < 0:
        return _draw(request.shelter, item, lots, -difference)
    if difference == 0:
        return []
    good = [lot for lot in lots if not lot.expired(counted_on)]
    if request.expires_on is not None:
        expires_on = _fresh(request.expires_on, counted_on, "count")
    elif good:
        expires_on = max(good, key=lambda lot: fefo_order(lot.expires_on)).expires_on
    else:
        expires_on = default_expiry(item, counted_on)
    return [LotLine(request.shelter, expires_on, difference)]


def _fresh(expires_on: date, on: date, what: str) -> date:
    """Stock found or put on the shelf must not have expired already."""
    if expires_on < on:
        raise InvalidInput(
            f"expiry {expires_on} is before the {what} on {on}: "
            "stock that has already expired cannot be put on the shelf"
        )
    return expires_on


def write_offs(
    shelter: str, sku: str, lots: list[Lot], as_of: date, occurred_at: datetime, recorded_at: datetime, by: str | None
) -> list[Movement]:
    """One expiry write-off per lot of the item at the shelter that expired before `as_of`."""
    return [
        Movement(
            kind=MovementKind.EXPIRE,
            shelter=shelter,
            sku=sku,
            quantity=-lot.quantity,
            occurred_at=occurred_at,
            recorded_at=recorded_at,
            lines=(LotLine(shelter, lot.expires_on, -lot.quantity),),
            by=by,
            source="expiry",
            note=f"lot expiring {lot.expires_on} written off",
        )
        for lot in lots
        if lot.expired(as_of) and lot.quantity > 0
    ]
