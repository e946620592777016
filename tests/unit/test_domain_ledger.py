"""The ledger's rules, by example: restocks, first-expiry-first-out consumption, stocktakes, transfers."""

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from refuge.domain.errors import Conflict, InsufficientStock, InvalidInput
from refuge.domain.ledger import (
    Lot,
    LotLine,
    MovementKind,
    MovementRequest,
    RequestKind,
    build_movement,
    default_expiry,
    draw_fefo,
    lots_from,
    on_hand,
    write_offs,
)
from refuge.domain.network import Item

D = Decimal
UTC = timezone.utc
WHEN = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
RECORDED = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
RICE = Item("RICE-1KG", "Rice", "food", "bag", D("1"), shelf_life_days=365)
KUNAI = Item("KUNAI", "Kunai", "weapons", "piece", D("0.2"))


def request(kind, quantity, **changes):
    return MovementRequest(
        kind=RequestKind(kind), shelter="LF-017", sku="RICE-1KG", quantity=D(quantity), occurred_at=WHEN, **changes
    )


def record(kind, quantity, lots=(), item=RICE, **changes):
    return build_movement(request(kind, quantity, **changes), item, list(lots), RECORDED)


def lines(movement):
    return [(line.shelter, line.expires_on, line.quantity) for line in movement.lines]


# --- restock ----------------------------------------------------------------------------------


def test_a_restock_without_an_expiry_keeps_for_the_item_shelf_life_from_the_restock_day():
    movement = record("restock", "10")
    assert lines(movement) == [("LF-017", date(2027, 5, 1), D(10))]
    assert (movement.kind, movement.quantity) == (MovementKind.RESTOCK, D(10))


def test_a_restock_of_an_item_without_shelf_life_never_expires():
    assert lines(record("restock", "4", item=KUNAI)) == [("LF-017", None, D(4))]


def test_a_restock_with_a_given_expiry_uses_that_expiry():
    assert lines(record("restock", "3", expires_on=date(2026, 8, 1))) == [("LF-017", date(2026, 8, 1), D(3))]


def test_a_restock_expiring_on_the_restock_day_itself_is_accepted():
    assert lines(record("restock", "1", expires_on=date(2026, 5, 1))) == [("LF-017", date(2026, 5, 1), D(1))]


def test_a_restock_with_an_expiry_before_the_restock_date_is_refused():
    with pytest.raises(InvalidInput) as refused:
        record("restock", "3", expires_on=date(2026, 4, 30))
    assert str(refused.value) == (
        "expiry 2026-04-30 is before the restock on 2026-05-01: "
        "stock that has already expired cannot be put on the shelf"
    )


def test_a_movement_without_an_occurred_time_happened_when_it_was_recorded():
    movement = build_movement(replace(request("restock", "1"), occurred_at=None), RICE, [], RECORDED)
    assert movement.occurred_at == RECORDED
    assert lines(movement) == [("LF-017", date(2027, 5, 1), D(1))]


def test_a_movement_carries_who_what_and_the_request_fingerprint():
    asked = request("restock", "2", by="kakashi", note="spring run", source="cli", key="k-1")
    movement = build_movement(asked, RICE, [], RECORDED)
    assert (movement.by, movement.note, movement.source, movement.key, movement.fingerprint) == (
        "kakashi",
        "spring run",
        "cli",
        "k-1",
        asked.fingerprint(),
    )
    assert (movement.occurred_at, movement.recorded_at, movement.sku, movement.to_shelter) == (
        WHEN,
        RECORDED,
        "RICE-1KG",
        None,
    )


def test_default_expiry_adds_the_shelf_life_in_days():
    assert default_expiry(RICE, date(2028, 2, 29)) == date(2029, 2, 28)
    assert default_expiry(KUNAI, date(2028, 2, 29)) is None


# --- consume ----------------------------------------------------------------------------------


def test_consumption_draws_from_the_earliest_expiring_lot_first():
    lots = [Lot(date(2026, 9, 1), D(5)), Lot(date(2026, 6, 1), D(5))]
    movement = record("consume", "3", lots)
    assert lines(movement) == [("LF-017", date(2026, 6, 1), D(-3))]
    assert (movement.kind, movement.quantity) == (MovementKind.CONSUME, D(-3))


def test_consumption_larger_than_the_earliest_lot_continues_into_the_next_lots_in_expiry_order():
    lots = [Lot(date(2026, 9, 1), D(5)), Lot(date(2026, 6, 1), D(2)), Lot(date(2026, 7, 1), D("1.5"))]
    movement = record("consume", "4", lots)
    assert lines(movement) == [
        ("LF-017", date(2026, 6, 1), D(-2)),
        ("LF-017", date(2026, 7, 1), D("-1.5")),
        ("LF-017", date(2026, 9, 1), D("-0.5")),
    ]
    assert movement.quantity == D(-4)


def test_lots_that_never_expire_are_drawn_last():
    lots = [Lot(None, D(10)), Lot(date(2030, 1, 1), D(1))]
    assert lines(record("consume", "3", lots)) == [
        ("LF-017", date(2030, 1, 1), D(-1)),
        ("LF-017", None, D(-2)),
    ]


def test_consumption_of_exactly_what_is_on_hand_empties_every_lot():
    lots = [Lot(date(2026, 6, 1), D(2)), Lot(None, D(1))]
    assert lines(record("consume", "3", lots)) == [("LF-017", date(2026, 6, 1), D(-2)), ("LF-017", None, D(-1))]


def test_empty_lots_are_passed_over_when_drawing():
    lots = [Lot(date(2026, 6, 1), D(0)), Lot(date(2026, 7, 1), D(4))]
    assert draw_fefo(lots, D(1)) == [(date(2026, 7, 1), D(1))]


def test_consuming_more_than_on_hand_raises_insufficient_stock_naming_the_shortfall():
    lots = [Lot(date(2026, 6, 1), D(2)), Lot(None, D("1.5"))]
    with pytest.raises(InsufficientStock) as refused:
        record("consume", "4", lots)
    error = refused.value
    assert (error.shelter, error.sku, error.on_hand, error.asked) == ("LF-017", "RICE-1KG", D("3.5"), D(4))
    assert str(error) == (
        "shelter LF-017 has only 3.5 of RICE-1KG on hand, 4 asked; if the shelf holds more than the ledger "
        "says, record a stocktake (`refuge count LF-017 RICE-1KG QTY`) first"
    )


def test_insufficient_stock_is_a_conflict():
    with pytest.raises(Conflict):
        record("consume", "1", [])


def test_draw_fefo_returns_none_when_the_lots_hold_too_little():
    assert draw_fefo([Lot(date(2026, 6, 1), D(1))], D("1.001")) is None


# --- count (stocktake) ------------------------------------------------------------------------


def test_a_count_below_the_ledger_takes_the_difference_off_the_earliest_lots():
    lots = [Lot(date(2026, 9, 1), D(5)), Lot(date(2026, 6, 1), D(2))]
    movement = record("count", "4", lots)
    assert movement.kind is MovementKind.ADJUST
    assert lines(movement) == [("LF-017", date(2026, 6, 1), D(-2)), ("LF-017", date(2026, 9, 1), D(-1))]
    assert movement.quantity == D(-3)


def test_a_count_of_zero_empties_every_lot():
    lots = [Lot(date(2026, 9, 1), D(5)), Lot(None, D(2))]
    movement = record("count", "0", lots)
    assert lines(movement) == [("LF-017", date(2026, 9, 1), D(-5)), ("LF-017", None, D(-2))]


def test_a_count_above_the_ledger_puts_the_surplus_into_the_given_expiry():
    lots = [Lot(date(2026, 9, 1), D(5))]
    movement = record("count", "7", lots, expires_on=date(2026, 7, 15))
    assert lines(movement) == [("LF-017", date(2026, 7, 15), D(2))]
    assert movement.quantity == D(2)


def test_a_count_above_the_ledger_without_an_expiry_adds_to_the_latest_lot_on_the_shelf():
    lots = [Lot(date(2026, 6, 1), D(1)), Lot(date(2026, 9, 1), D(1)), Lot(date(2026, 7, 1), D(1))]
    assert lines(record("count", "5", lots)) == [("LF-017", date(2026, 9, 1), D(2))]


def test_a_count_surplus_goes_to_a_lot_that_never_expires_when_there_is_one():
    lots = [Lot(None, D(1)), Lot(date(2026, 9, 1), D(1))]
    assert lines(record("count", "3", lots)) == [("LF-017", None, D(1))]


def test_a_count_on_an_empty_shelf_adds_fresh_stock_with_the_default_expiry():
    assert lines(record("count", "6", [])) == [("LF-017", date(2027, 5, 1), D(6))]


def test_a_count_equal_to_the_ledger_posts_an_adjust_with_no_lines():
    movement = record("count", "5", [Lot(date(2026, 9, 1), D(3)), Lot(None, D(2))])
    assert (movement.kind, movement.lines, movement.quantity) == (MovementKind.ADJUST, (), D(0))


# --- transfer ---------------------------------------------------------------------------------


def test_a_transfer_to_the_same_shelter_is_refused():
    with pytest.raises(InvalidInput, match="a transfer needs two different shelters \\(got LF-017 to LF-017\\)"):
        record("transfer", "1", [Lot(None, D(5))], to_shelter="LF-017")


def test_a_transfer_without_a_destination_is_refused():
    with pytest.raises(InvalidInput, match="a transfer needs two different shelters \\(got LF-017 to None\\)"):
        record("transfer", "1", [Lot(None, D(5))])


def test_a_transfer_moves_the_same_lots_from_one_shelter_to_the_other():
    lots = [Lot(date(2026, 9, 1), D(5)), Lot(date(2026, 6, 1), D(2))]
    movement = record("transfer", "3", lots, to_shelter="LF-020")
    assert lines(movement) == [
        ("LF-017", date(2026, 6, 1), D(-2)),
        ("LF-017", date(2026, 9, 1), D(-1)),
        ("LF-020", date(2026, 6, 1), D(2)),
        ("LF-020", date(2026, 9, 1), D(1)),
    ]
    assert (movement.kind, movement.to_shelter, movement.quantity) == (MovementKind.TRANSFER, "LF-020", D(-3))
    assert (movement.change_at("LF-017"), movement.change_at("LF-020"), movement.change_at("LF-001")) == (
        D(-3),
        D(3),
        D(0),
    )


def test_a_transfer_of_more_than_on_hand_is_refused_as_insufficient_stock_at_the_source():
    with pytest.raises(InsufficientStock) as refused:
        record("transfer", "6", [Lot(None, D(5))], to_shelter="LF-020")
    assert (refused.value.shelter, refused.value.on_hand, refused.value.asked) == ("LF-017", D(5), D(6))


def test_the_destination_of_a_non_transfer_is_not_kept_on_the_movement():
    assert record("consume", "1", [Lot(None, D(5))], to_shelter="LF-020").to_shelter is None


# --- write-offs -------------------------------------------------------------------------------


def test_write_offs_are_made_only_for_lots_that_expired_before_the_day():
    lots = [
        Lot(date(2026, 4, 30), D(2)),
        Lot(date(2026, 5, 1), D(3)),
        Lot(date(2026, 3, 1), D("0.5")),
        Lot(None, D(9)),
        Lot(date(2026, 2, 1), D(0)),
    ]
    movements = write_offs("LF-017", "RICE-1KG", lots, date(2026, 5, 1), WHEN, RECORDED, "sakura")
    assert [(m.kind, m.quantity, m.lines) for m in movements] == [
        (MovementKind.EXPIRE, D(-2), (LotLine("LF-017", date(2026, 4, 30), D(-2)),)),
        (MovementKind.EXPIRE, D("-0.5"), (LotLine("LF-017", date(2026, 3, 1), D("-0.5")),)),
    ]
    assert {(m.by, m.source, m.occurred_at, m.recorded_at) for m in movements} == {("sakura", "expiry", WHEN, RECORDED)}
    assert movements[0].note == "lot expiring 2026-04-30 written off"


def test_a_lot_is_good_through_its_expiry_date_and_expired_the_day_after():
    lot = Lot(date(2026, 5, 1), D(1))
    assert (lot.expired(date(2026, 5, 1)), lot.expired(date(2026, 5, 2)), Lot(None, D(1)).expired(date.max)) == (
        False,
        True,
        False,
    )


# --- lots and balances ------------------------------------------------------------------------


def test_lots_from_lines_merges_equal_expiries_drops_empty_lots_and_sorts_first_expiry_first():
    given = [
        (None, D(2)),
        (date(2026, 9, 1), D(3)),
        (date(2026, 6, 1), D(1)),
        (date(2026, 9, 1), D(-3)),
        (date(2026, 6, 1), D(1)),
    ]
    assert lots_from(given) == [Lot(date(2026, 6, 1), D(2)), Lot(None, D(2))]


def test_on_hand_is_the_sum_of_the_lots():
    assert on_hand([Lot(None, D("1.25")), Lot(date(2026, 6, 1), D("2.5"))]) == D("3.75")
    assert on_hand([]) == D(0)


# --- fingerprint ------------------------------------------------------------------------------


def full_request(**changes):
    fields = {
        "kind": RequestKind.TRANSFER,
        "shelter": "LF-017",
        "sku": "RICE-1KG",
        "quantity": D("2.5"),
        "occurred_at": WHEN,
        "by": "kakashi",
        "note": "north run",
        "source": "cli",
        "key": "abc",
        "expires_on": date(2026, 9, 1),
        "to_shelter": "LF-020",
    }
    return MovementRequest(**{**fields, **changes})


def test_equal_requests_have_equal_fingerprints():
    assert full_request().fingerprint() == full_request().fingerprint()


def test_the_fingerprint_ignores_the_idempotency_key():
    fingerprints = {full_request(key=key).fingerprint() for key in ("abc", "xyz", None)}
    assert fingerprints == {full_request().fingerprint()}


def test_the_fingerprint_treats_equal_quantities_written_differently_as_equal():
    assert full_request(quantity=D("2.500")).fingerprint() == full_request(quantity=D("2.5")).fingerprint()


@pytest.mark.parametrize(
    "change",
    [
        {"kind": RequestKind.CONSUME},
        {"shelter": "LF-018"},
        {"sku": "KUNAI"},
        {"quantity": D("2.501")},
        {"occurred_at": datetime(2026, 5, 1, 9, 31, tzinfo=UTC)},
        {"occurred_at": None},
        {"by": "sakura"},
        {"by": None},
        {"note": "south run"},
        {"source": "api"},
        {"expires_on": date(2026, 9, 2)},
        {"expires_on": None},
        {"to_shelter": "LF-021"},
        {"to_shelter": None},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_fingerprint_differs_when_any_field_but_the_key_differs(change):
    assert full_request(**change).fingerprint() != full_request().fingerprint()


def test_a_surplus_found_at_a_count_never_goes_into_an_expired_lot():
    held = [Lot(date(2026, 4, 1), D(2))]
    assert lines(record("count", "5", lots=held)) == [("LF-017", date(2027, 5, 1), D(3))]


def test_a_count_that_names_an_expiry_already_past_is_refused():
    with pytest.raises(InvalidInput, match="before the count on 2026-05-01"):
        record("count", "5", expires_on=date(2026, 4, 30))


@pytest.mark.parametrize("kind", ["restock", "consume", "transfer"])
def test_a_movement_of_zero_or_less_is_refused_even_past_the_parsers(kind):
    with pytest.raises(InvalidInput, match="positive"):
        record(kind, "0", lots=[Lot(None, D(5))], to_shelter="LF-018")
    with pytest.raises(InvalidInput, match="positive"):
        record(kind, "-1", lots=[Lot(None, D(5))], to_shelter="LF-018")
