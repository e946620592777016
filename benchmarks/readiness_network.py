"""A large network with mixed readiness, and the level each shelter is built to have.

Every shelter stocks every item (one lot, a second for half of them) and has a ward, an alarm at
every other shelter. Its number decides what is wrong with it:

* ending in 0-5: nothing: green;
* ending in 6: two items used down below their minimum: amber;
* ending in 7: two items with an expired lot still on the shelf: amber;
* ending in 8: defences tested 100 days ago, overdue: amber;
* ending in 9: every seal used up, a category empty: red;
* every 50th from 25: both defences failed their test: red;  every 97th: closed: red.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from benchmarks import synthetic
from refuge.domain.defences import Defence, DefenceTest, TestResult
from refuge.domain.ledger import Movement, fefo_order
from refuge.domain.network import Category, Item
from refuge.domain.readiness import Level
from refuge.scenarios.model import Scenario

AS_OF = date(2026, 6, 1)


def at(days_before: int, hour: int = 9) -> datetime:
    return datetime.combine(AS_OF - timedelta(days=days_before), time(hour), tzinfo=timezone.utc)


def expected_level(n: int) -> Level:
    if n % 97 == 0 or n % 10 == 9 or n % 50 == 25:
        return Level.RED
    return Level.AMBER if n % 10 in (6, 7, 8) else Level.GREEN


def build(shelters: int, items: int) -> tuple[Scenario, dict[str, Level]]:
    """The network, its ledger and defence log, and the readiness level each shelter should have on AS_OF."""
    catalogue = synthetic.items(items)
    found = [synthetic.shelter(n, closed=n % 97 == 0) for n in range(shelters)]
    defences, tests = _defences(shelters)
    movements: list[Movement] = []
    with synthetic.collector_paused():
        for n in range(shelters):
            for j, item in enumerate(catalogue):
                movements += _ledger(n, j, item, first=(n * items + j) * 4)
    movements.sort(key=lambda m: m.occurred_at)
    scenario = synthetic.network(found, catalogue, defences=defences, defence_tests=tests, movements=movements,
                                 ends_at=at(0, 23))
    return scenario, {s.code: expected_level(n) for n, s in enumerate(found)}


def _ledger(n: int, j: int, item: Item, first: int) -> list[Movement]:
    """One shelter's movements of one item (at most four, numbered from `first`)."""
    code, profile = f"BX-{n:05d}", n % 10
    moves = [synthetic.restock(first, code, item, Decimal(10), at(10 + (n + j) % 60))]
    if (n + j) % 2 == 0:
        moves.append(synthetic.restock(first + 1, code, item, Decimal(5), at(5)))
    if profile == 7 and j in (2, 3):
        expired = AS_OF - timedelta(days=10)
        moves.append(synthetic.restock(first + 2, code, item, Decimal(3), at(120), expires_on=expired))
    lots = sorted(([m.lines[0].expires_on, m.quantity] for m in moves), key=lambda lot: fefo_order(lot[0]))
    held = sum(q for _, q in lots)
    if profile == 6 and j in (0, 1):
        moves.append(synthetic.consume(first + 3, code, item.sku, lots, held - 2, at(2)))
    elif profile == 9 and item.category is Category.SEALS:
        moves.append(synthetic.consume(first + 3, code, item.sku, lots, held, at(2)))
    return moves


def _defences(shelters: int) -> tuple[list[Defence], list[DefenceTest]]:
    installed = AS_OF - timedelta(days=365)
    defences, tests = [], []
    for n in range(shelters):
        code = f"BX-{n:05d}"
        found = [synthetic.ward(code, installed)]
        if n % 2 == 0:
            found.append(Defence(code, "A1", "alarm", "Tripwire bell", 60, installed))  # type: ignore[arg-type]
        result = TestResult.FAIL if n % 50 == 25 else TestResult.PASS
        tested = at(100 if n % 10 == 8 else 20, 11)
        defences += found
        tests += [DefenceTest(code, d.code, tested, result, f"runner-{n % synthetic.PEOPLE:02d}") for d in found]
    return defences, tests
