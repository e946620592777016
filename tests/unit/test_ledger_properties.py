"""Properties of the ledger over random sequences of requests.

A scenario is a random list of steps (restocks with random expiries, consumptions, stocktakes,
transfers between two or three shelters, expiry write-offs and replays of earlier idempotency keys)
applied one after another with `build_movement`. The lots are kept in memory from the movements'
lines only, the way the store keeps them, so every property checks what the movements say.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.domain.errors import IdempotencyConflict, InsufficientStock
from refuge.domain.ledger import (
    Lot,
    Movement,
    MovementKind,
    MovementRequest,
    RequestKind,
    build_movement,
    write_offs,
)
from refuge.domain.network import Item

D = Decimal
ZERO = D(0)
START = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
SHELTERS = ("LF-001", "LF-002", "LF-003")
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

Stock = dict[str, dict[date | None, Decimal]]


# --- the in-memory ledger ---------------------------------------------------------------------


class TinyLedger:
    """Movements by idempotency key, and the lots their lines leave at each shelter."""

    def __init__(self, item: Item) -> None:
        self.item = item
        self.movements: list[Movement] = []
        self.by_key: dict[str, Movement] = {}
        self.accepted: list[MovementRequest] = []
        self.stock: dict[str, dict[date | None, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))

    def lots(self, shelter: str) -> list[Lot]:
        # Deliberately in the order the lots were first seen, not sorted: FEFO is the ledger's job.
        return [Lot(expires_on, quantity) for expires_on, quantity in self.stock[shelter].items() if quantity != 0]

    def balance(self, shelter: str) -> Decimal:
        return sum(self.stock[shelter].values(), ZERO)

    def snapshot(self) -> Stock:
        """The non-empty lots of every shelter that holds any, as plain dictionaries."""
        stock = {shelter: {e: q for e, q in lots.items() if q != 0} for shelter, lots in self.stock.items()}
        return {shelter: lots for shelter, lots in stock.items() if lots}

    def record(self, request: MovementRequest, recorded_at: datetime) -> Movement:
        """Record a request once. A replay of its key returns what was stored; another request under it is refused."""
        if request.key is not None and request.key in self.by_key:
            stored = self.by_key[request.key]
            if stored.fingerprint != request.fingerprint():
                raise IdempotencyConflict(request.key)
            return stored
        movement = build_movement(request, self.item, self.lots(request.shelter), recorded_at)
        self._append(movement)
        self.by_key[request.key] = movement
        self.accepted.append(request)
        return movement

    def write_off(self, shelter: str, as_of: date, recorded_at: datetime) -> list[Movement]:
        movements = write_offs(shelter, self.item.sku, self.lots(shelter), as_of, recorded_at, recorded_at, None)
        for movement in movements:
            self._append(movement)
        return movements

    def _append(self, movement: Movement) -> None:
        self.movements.append(movement)
        for line in movement.lines:
            self.stock[line.shelter][line.expires_on] += line.quantity


# --- scenarios --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    shelters: tuple[str, ...]
    item: Item
    steps: list[tuple]


@dataclass
class Outcome:
    """What one step did: the stock before and after, and what the ledger answered."""

    kind: str
    day: date
    before: Stock
    after: Stock
    request: MovementRequest | None = None
    written_off_at: str | None = None
    new_movements: list[Movement] = field(default_factory=list)
    returned: Movement | None = None
    stored: Movement | None = None
    refused: InsufficientStock | None = None
    conflict: IdempotencyConflict | None = None
    movement_count: int = 0


# Thousandths drawn as integers: exact decimals with up to three places, and quick to generate.
quantities = st.integers(1, 30_000).map(lambda thousandths: D(thousandths).scaleb(-3))
small_quantities = st.integers(1, 8_000).map(lambda thousandths: D(thousandths).scaleb(-3))
counts = st.integers(0, 30_000).map(lambda thousandths: D(thousandths).scaleb(-3))
# An amount taken is either a fixed quantity or the balance itself nudged by -0.001, 0 or +0.001,
# so the edge between enough and not enough stock is exercised on purpose.
amounts = st.one_of(
    small_quantities.map(lambda quantity: ("fixed", quantity)),
    st.sampled_from([D("-0.001"), ZERO, D("0.001")]).map(lambda nudge: ("balance", nudge)),
)
#: How often each kind of step comes up: restocks most, so there is stock to take.
STEP_KINDS = ["restock"] * 3 + ["consume"] * 2 + ["transfer"] * 2 + ["count", "expire", "replay"]
#: Days between steps: lots restocked early expire within a scenario.
DAYS_PER_STEP = 2


@st.composite
def scenarios(draw) -> Scenario:
    shelters = SHELTERS[: draw(st.integers(2, 3))]
    item = Item("RICE-1KG", "Rice", "food", "bag", D(1), shelf_life_days=draw(st.sampled_from([None, 7, 30])))
    shelter = st.sampled_from(shelters)
    expiry_offset = st.none() | st.integers(0, 20)
    arguments = {
        "restock": st.tuples(shelter, quantities, expiry_offset),
        "consume": st.tuples(shelter, amounts),
        "count": st.tuples(shelter, counts, st.none() | st.integers(0, 20)),
        "transfer": st.tuples(st.permutations(shelters).map(lambda order: order[:2]), amounts),
        "expire": st.tuples(shelter),
        "replay": st.tuples(st.integers(0, 1000), st.booleans()),
    }
    kinds = draw(st.lists(st.sampled_from(STEP_KINDS), max_size=30))
    return Scenario(shelters, item, [(kind, *draw(arguments[kind])) for kind in kinds])


def resolve(amount: tuple, balance: Decimal) -> Decimal:
    how, value = amount
    return value if how == "fixed" else max(balance + value, D("0.001"))


def request_for(step: tuple, ledger: TinyLedger, occurred_at: datetime, key: str) -> MovementRequest:
    kind, day = step[0], occurred_at.date()
    common = {"sku": ledger.item.sku, "occurred_at": occurred_at, "key": key, "by": "tester"}
    if kind == "restock":
        _, shelter, quantity, offset = step
        expires_on = None if offset is None else day + timedelta(days=offset)
        return MovementRequest(RequestKind.RESTOCK, shelter, quantity=quantity, expires_on=expires_on, **common)
    if kind == "consume":
        _, shelter, amount = step
        quantity = resolve(amount, ledger.balance(shelter))
        return MovementRequest(RequestKind.CONSUME, shelter, quantity=quantity, **common)
    if kind == "count":
        _, shelter, counted, offset = step
        expires_on = None if offset is None else day + timedelta(days=offset)
        return MovementRequest(RequestKind.COUNT, shelter, quantity=counted, expires_on=expires_on, **common)
    _, (source, destination), amount = step
    quantity = resolve(amount, ledger.balance(source))
    return MovementRequest(RequestKind.TRANSFER, source, quantity=quantity, to_shelter=destination, **common)


def run(scenario: Scenario) -> tuple[TinyLedger, list[Outcome]]:
    ledger = TinyLedger(scenario.item)
    outcomes = []
    for number, step in enumerate(scenario.steps):
        occurred_at = START + timedelta(days=DAYS_PER_STEP * number)
        recorded_at = occurred_at + timedelta(hours=1)
        outcome = Outcome(step[0], occurred_at.date(), ledger.snapshot(), {})
        count = len(ledger.movements)
        if step[0] == "expire":
            outcome.written_off_at = step[1]
            ledger.write_off(step[1], occurred_at.date(), recorded_at)
        elif step[0] == "replay":
            replay(ledger, step, recorded_at, outcome)
        else:
            outcome.request = request_for(step, ledger, occurred_at, key=f"key-{number}")
            try:
                outcome.returned = ledger.record(outcome.request, recorded_at)
            except InsufficientStock as refusal:
                outcome.refused = refusal
        outcome.new_movements = ledger.movements[count:]
        outcome.after, outcome.movement_count = ledger.snapshot(), len(ledger.movements)
        outcomes.append(outcome)
    return ledger, outcomes


def replay(ledger: TinyLedger, step: tuple, recorded_at: datetime, outcome: Outcome) -> None:
    """Send an earlier accepted request again, as it was or, when tampered, with a different note."""
    _, pick, tampered = step
    if not ledger.accepted:
        return
    earlier = ledger.accepted[pick % len(ledger.accepted)]
    outcome.request = replace(earlier, note=earlier.note + " (edited)") if tampered else earlier
    outcome.stored = ledger.by_key[earlier.key]
    try:
        outcome.returned = ledger.record(outcome.request, recorded_at)
    except IdempotencyConflict as conflict:
        outcome.conflict = conflict


def total(stock: Stock, shelter: str) -> Decimal:
    return sum(stock.get(shelter, {}).values(), ZERO)


# --- properties -------------------------------------------------------------------------------


def expected_balances(outcome: Outcome, balances: dict[str, Decimal]) -> dict[str, Decimal]:
    """The balances the step should leave, worked out from what was asked rather than from the lines."""
    balances = dict(balances)
    request = outcome.request
    if outcome.kind == "expire":
        lots = outcome.before.get(outcome.written_off_at, {})
        balances[outcome.written_off_at] -= sum((q for e, q in lots.items() if e is not None and e < outcome.day), ZERO)
    elif outcome.kind == "replay" or outcome.refused is not None:
        pass
    elif request.kind is RequestKind.RESTOCK:
        balances[request.shelter] += request.quantity
    elif request.kind is RequestKind.CONSUME:
        balances[request.shelter] -= request.quantity
    elif request.kind is RequestKind.COUNT:
        balances[request.shelter] = request.quantity
    else:
        balances[request.shelter] -= request.quantity
        balances[request.to_shelter] += request.quantity
    return balances


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_balance_equals_the_sum_of_its_movements_and_what_the_requests_asked(scenario):
    ledger, outcomes = run(scenario)
    balances = {shelter: ZERO for shelter in scenario.shelters}
    for outcome in outcomes:
        balances = expected_balances(outcome, balances)
        so_far = ledger.movements[: outcome.movement_count]
        for shelter in scenario.shelters:
            from_lines = sum((movement.change_at(shelter) for movement in so_far), ZERO)
            from_quantities = sum((m.quantity for m in so_far if m.shelter == shelter), ZERO) - sum(
                (m.quantity for m in so_far if m.kind is MovementKind.TRANSFER and m.to_shelter == shelter), ZERO
            )
            assert total(outcome.after, shelter) == from_lines == from_quantities == balances[shelter]


@PROPERTY_SETTINGS
@given(scenarios())
def test_no_lot_and_no_balance_ever_goes_negative(scenario):
    _, outcomes = run(scenario)
    for outcome in outcomes:
        for shelter in scenario.shelters:
            lots = outcome.after.get(shelter, {})
            assert all(quantity >= 0 for quantity in lots.values()), (shelter, lots)
            assert total(outcome.after, shelter) >= 0


@PROPERTY_SETTINGS
@given(scenarios())
def test_insufficient_stock_is_refused_exactly_when_more_is_asked_than_the_balance_and_writes_nothing(scenario):
    _, outcomes = run(scenario)
    for outcome in outcomes:
        request = outcome.request
        if outcome.kind not in ("consume", "transfer", "count"):
            continue
        balance = total(outcome.before, request.shelter)
        asked_too_much = request.kind is not RequestKind.COUNT and request.quantity > balance
        assert (outcome.refused is not None) == asked_too_much
        if outcome.refused is not None:
            assert (outcome.refused.on_hand, outcome.refused.asked) == (balance, request.quantity)
            assert outcome.new_movements == [] and outcome.after == outcome.before


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_replaying_an_idempotency_key_returns_the_stored_movement_and_changes_no_balance(scenario, data):
    ledger, outcomes = run(scenario)
    for outcome in outcomes:
        if outcome.kind != "replay" or outcome.request is None:
            continue
        assert outcome.new_movements == [] and outcome.after == outcome.before
        if outcome.request.note.endswith("(edited)"):
            assert outcome.returned is None
            assert outcome.conflict is not None and outcome.conflict.key == outcome.request.key
        else:
            assert outcome.conflict is None and outcome.returned is outcome.stored
    if not ledger.accepted:
        return
    before, count = ledger.snapshot(), len(ledger.movements)
    replays = data.draw(st.lists(st.sampled_from(ledger.accepted), max_size=len(ledger.accepted) + 3))
    for request in replays:
        assert ledger.record(request, START + timedelta(days=500)) is ledger.by_key[request.key]
    assert ledger.snapshot() == before
    assert len(ledger.movements) == count


def expiry_rank(expires_on: date | None) -> tuple[bool, date]:
    """First expiry first; stock that never expires after every dated lot (written here, not imported)."""
    return (expires_on is None, expires_on if expires_on is not None else date.min)


@PROPERTY_SETTINGS
@given(scenarios())
def test_stock_leaves_first_expiry_first_out_and_a_transfer_carries_the_same_lots(scenario):
    _, outcomes = run(scenario)
    for outcome in outcomes:
        if outcome.kind not in ("consume", "transfer", "count") or not outcome.new_movements:
            continue
        shelter = outcome.request.shelter
        (movement,) = outcome.new_movements
        out = [line for line in movement.lines if line.shelter == shelter and line.quantity < 0]
        drawn = [(line.expires_on, -line.quantity) for line in out]
        if outcome.kind == "transfer":
            into = [line for line in movement.lines if line.shelter == movement.to_shelter]
            arrived = [(line.expires_on, line.quantity) for line in into]
            assert arrived == drawn
        if not drawn:
            continue
        held = {e: q for e, q in outcome.before.get(shelter, {}).items() if q > 0}
        ranks = [expiry_rank(expires_on) for expires_on, _ in drawn]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks), drawn
        for expires_on, quantity in drawn[:-1]:
            assert quantity == held[expires_on], "a lot was drawn from before an earlier one was emptied"
        last_expiry, last_quantity = drawn[-1]
        assert 0 < last_quantity <= held[last_expiry]
        for expires_on, quantity in held.items():
            if expiry_rank(expires_on) < expiry_rank(last_expiry):
                assert (expires_on, quantity) in drawn, f"lot expiring {expires_on} left while a later one was drawn"
        taken = sum((quantity for _, quantity in drawn), ZERO)
        if outcome.kind == "count":
            assert taken == total(outcome.before, shelter) - outcome.request.quantity
        else:
            assert taken == outcome.request.quantity
