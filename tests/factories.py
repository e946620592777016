"""A small network for tests: three shelters, five items in three categories, three people, two defences."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from refuge.domain.defences import Defence, DefenceTest, TestResult
from refuge.domain.ledger import Lot, Movement, MovementRequest, RequestKind, build_movement, lots_from
from refuge.domain.network import Item, Network, ParLevel, Place, Shelter
from refuge.domain.people import Person
from refuge.scenarios.model import Scenario

#: The small network's history ends here; tests pass it as "now".
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)

ITEMS = [
    Item("FOOD-RICE", "Rice ration", "food", "pack", Decimal("0.5"), 730),
    Item("FOOD-WATER", "Water bottle", "food", "bottle", Decimal("1.0"), 365),
    Item("AID-BANDAGE", "Bandage roll", "first-aid", "roll", Decimal("0.05"), 1825),
    Item("AID-ANTIDOTE", "Antidote vial", "first-aid", "vial", Decimal("0.02"), 180),
    Item("WPN-KUNAI", "Kunai", "weapons", "piece", Decimal("0.1"), None),
]
SHELTERS = [
    Shelter("LF-001", "Cedar Hollow", 10_000, 20_000, "under the split cedar", 4, clearance=1),
    Shelter("LF-002", "Falls Lookout", 30_000, 25_000, "behind the falls", 2, clearance=3),
    Shelter("LF-003", "Reed Island", 50_000, 40_000, "island in the lake", 2, clearance=5),
]
PEOPLE = [
    Person("iruka", "Iruka Umino", "chunin", ("teacher", "traps"), clearance=2),
    Person("kakashi", "Kakashi Hatake", "jonin", ("seals", "tracking"), clearance=4),
    Person("tsunade", "Tsunade", "kage", ("medic",), clearance=5),
]


def request(kind: str, shelter: str, sku: str, quantity: str, days_ago: float, **extra: object) -> MovementRequest:
    return MovementRequest(RequestKind(kind), shelter, sku, Decimal(quantity),
                           occurred_at=NOW - timedelta(days=days_ago), **extra)  # type: ignore[arg-type]


def history() -> list[Movement]:
    """Stock everything at LF-001 and LF-002 sixty days ago, then use some; LF-003 gets nothing."""
    requests = [request("restock", code, item.sku, "10", 60, by="iruka", key=f"open-{code}-{item.sku}")
                for code in ("LF-001", "LF-002") for item in ITEMS]
    requests += [
        request("consume", "LF-002", "AID-BANDAGE", "9", 10, by="kakashi", source="mission", key="use-1"),
        request("consume", "LF-002", "AID-ANTIDOTE", "10", 10, by="kakashi", source="mission", key="use-2"),
    ]
    lots: dict[tuple[str, str], list[tuple[date | None, Decimal]]] = {}
    items = {item.sku: item for item in ITEMS}
    built = []
    for req in requests:
        held: list[Lot] = lots_from(lots.get((req.shelter, req.sku), []))
        movement = build_movement(req, items[req.sku], held, req.occurred_at + timedelta(hours=1))  # type: ignore[operator]
        for line in movement.lines:
            lots.setdefault((line.shelter, movement.sku), []).append((line.expires_on, line.quantity))
        built.append(movement)
    return built


def small_network() -> Scenario:
    installed = date(2026, 1, 1)
    defences = [
        Defence("LF-001", "W1", "ward", "Door ward", 90, installed, charge_life_days=120, arming_instructions="touch the seal"),
        Defence("LF-002", "T1", "trap", "Wire trap", 60, installed),
    ]
    tests = [DefenceTest("LF-001", "W1", NOW - timedelta(days=30), TestResult.PASS, "iruka")]
    pars = [ParLevel(code, item.sku, Decimal(3), Decimal(8), Decimal(12)) for code in ("LF-001", "LF-002", "LF-003")
            for item in ITEMS]
    return Scenario(
        network=Network("Test Land", 60_000, 50_000),
        places=[Place("Leaf", "village", 20_000, 20_000, is_base=True)],
        shelters=list(SHELTERS), items=list(ITEMS), par_levels=pars, people=list(PEOPLE),
        defences=defences, defence_tests=tests, movements=history(), ends_at=NOW,
    )
