"""Synthetic networks of any size, and valid ledgers for them, built from the domain's own types.

Movements are constructed directly (not through `build_movement`, whose request fingerprinting
would triple the set-up time at a million rows), but by the same rules: a restock adds one lot, a
consumption draws from the earliest-expiring lots first and never takes more than is on hand.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from refuge.domain.defences import Defence
from refuge.domain.ledger import LotLine, Movement, MovementKind
from refuge.domain.network import Category, Item, Network, ParLevel, Place, Shelter
from refuge.domain.people import Person
from refuge.scenarios.model import Scenario

#: The synthetic ledgers start here; a bulk-load history runs for one year from it.
START = datetime(2025, 6, 1, tzinfo=timezone.utc)
SHELF_LIVES = (None, 180, 365, 730, 1825, 90)
PAR = (Decimal(4), Decimal(10), Decimal(20))
PEOPLE = 30


def items(count: int) -> list[Item]:
    """`count` catalogue items spread over the seven categories, with a mix of shelf lives."""
    categories = list(Category)
    return [
        Item(f"{categories[n % 7].value.upper().replace('-', '')}-{n:03d}", f"Synthetic item {n}",
             categories[n % 7], "piece", Decimal("0.5"), SHELF_LIVES[n % len(SHELF_LIVES)])
        for n in range(count)
    ]


def shelter(n: int, closed: bool = False) -> Shelter:
    return Shelter(f"BX-{n:05d}", f"Shelter {n}", float(n % 400) * 300, float(n // 400) * 300,
                   beds=2, clearance=1 + n % 5, status="closed" if closed else "active")  # type: ignore[arg-type]


def people() -> list[Person]:
    return [Person(f"runner-{n:02d}", f"Runner {n}", "chunin", ("traps",), clearance=3)  # type: ignore[arg-type]
            for n in range(PEOPLE)]


def ward(code: str, installed_on: date) -> Defence:
    return Defence(code, "W1", "ward", "Door ward", 90, installed_on, charge_life_days=180)  # type: ignore[arg-type]


def network(shelters: list[Shelter], catalogue: list[Item], **extra: object) -> Scenario:
    """A scenario with par levels for every shelter and item, a base, and a ward at every shelter
    (`loading.load` needs at least one place and one defence); movements and tests as given."""
    low, target, capacity = PAR
    pars = [ParLevel(s.code, i.sku, low, target, capacity) for s in shelters for i in catalogue]
    fields: dict[str, object] = {"defences": [ward(s.code, START.date()) for s in shelters], "defence_tests": [],
                                 "movements": [], "ends_at": START}
    fields.update(extra)
    base = Place("Base", "village", 0, 0, is_base=True)
    return Scenario(network=Network("Synthetic", 120_000, 90_000), places=[base], shelters=shelters,
                    items=catalogue, par_levels=pars, people=people(), **fields)  # type: ignore[arg-type]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build millions of acyclic objects without the cyclic garbage collector rescanning them all the while."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def fingerprint(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def restock(n: int, code: str, item: Item, quantity: Decimal, at: datetime,
            expires_on: date | None = None) -> Movement:
    """The `n`th movement: a restock of one fresh lot (expiring after the item's shelf life unless given)."""
    if expires_on is None and item.shelf_life_days:
        expires_on = at.date() + timedelta(days=item.shelf_life_days)
    return Movement(MovementKind.RESTOCK, code, item.sku, quantity, at, at + timedelta(minutes=30),
                    (LotLine(code, expires_on, quantity),), by=f"runner-{n % PEOPLE:02d}", source="run",
                    note="synthetic restock", key=f"bench-{n}", fingerprint=fingerprint(n))


def consume(n: int, code: str, sku: str, lots: list[list], quantity: Decimal, at: datetime) -> Movement:
    """The `n`th movement: a consumption drawn first-expiry-first-out from `lots` ([expiry, quantity]
    pairs in FEFO order), which it updates; the caller ensures they hold at least `quantity`."""
    lines, left = [], quantity
    while left > 0:
        expires_on, held = lots[0]
        portion = min(held, left)
        lines.append(LotLine(code, expires_on, -portion))
        left -= portion
        if portion == held:
            lots.pop(0)
        else:
            lots[0][1] = held - portion
    return Movement(MovementKind.CONSUME, code, sku, -quantity, at, at + timedelta(minutes=30), tuple(lines),
                    by=f"runner-{n % PEOPLE:02d}", source="mission", note="synthetic use", key=f"bench-{n}",
                    fingerprint=fingerprint(n))


def bulk_history(shelters: list[Shelter], catalogue: list[Item], count: int, days: int = 365) -> list[Movement]:
    """`count` movements over `days`, in the order they happened, cycling over every shelter and item.

    Each shelter and item opens with a restock of 24 and is then used 5, 6 or 7 at a time, restocked
    again whenever fewer than 8 are left: about one restock in four, and some consumptions that span
    two lots.
    """
    pairs = [(s.code, i) for s in shelters for i in catalogue]
    lots: list[list[list]] = [[] for _ in pairs]
    step = timedelta(days=days) / count
    movements = []
    with collector_paused():
        for n in range(count):
            index = n % len(pairs)
            code, item = pairs[index]
            held, at = lots[index], START + step * n
            if sum(q for _, q in held) < 8:
                movement = restock(n, code, item, Decimal(24), at)
                held.append([movement.lines[0].expires_on, Decimal(24)])
            else:
                movement = consume(n, code, item.sku, held, Decimal(5 + (n // len(pairs)) % 3), at)
            movements.append(movement)
    return movements
