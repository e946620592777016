"""Readiness from the database: the small network's shelters, and how it changes over days."""

from __future__ import annotations

from datetime import timedelta

from refuge.domain.defences import TestResult
from refuge.domain.readiness import Level
from refuge.services import ledger, readiness, register
from refuge.services.requests import movement_request
from refuge.store.database import Database
from tests.factories import NOW


def by_code(db: Database, as_of=NOW.date()):  # type: ignore[no-untyped-def]
    return {r.shelter: r for r in readiness.readiness(db, as_of)}


def test_a_well_kept_shelter_is_green(db: Database) -> None:
    assert by_code(db)["LF-001"].level is Level.GREEN


def test_a_shelter_with_nothing_in_stock_is_red_for_each_empty_category(db: Database) -> None:
    island = by_code(db)["LF-003"]
    assert island.level is Level.RED
    assert {r.message for r in island.reasons if r.rule == "category-empty"} == {
        "no usable first-aid left", "no usable food left", "no usable weapons left"}


def test_a_shelter_whose_only_defence_is_untested_is_red_with_the_reasons(db: Database) -> None:
    falls = by_code(db)["LF-002"]
    assert falls.level is Level.RED
    assert {r.rule for r in falls.reasons} == {"defences-down", "defence-not-armed", "defence-overdue", "below-min"}


def test_testing_the_defence_leaves_the_shortfall_amber(db: Database) -> None:
    register.test_defence(db, "LF-002", "T1", TestResult.PASS, now=NOW)
    falls = by_code(db)["LF-002"]
    assert falls.level is Level.AMBER
    assert [r.rule for r in falls.reasons] == ["below-min"]
    assert "AID-ANTIDOTE (0/3)" in falls.reasons[0].message


def test_readiness_on_an_earlier_day_uses_only_what_had_happened(db: Database) -> None:
    earlier = by_code(db, (NOW - timedelta(days=20)).date())["LF-002"]
    assert "below-min" not in {r.rule for r in earlier.reasons}


def test_lots_left_past_their_expiry_and_a_spent_ward_show_on_a_later_day(db: Database) -> None:
    lf1 = by_code(db, NOW.date() + timedelta(days=150))["LF-001"]
    expired = next(r for r in lf1.reasons if r.rule == "expired-lots")
    assert "AID-ANTIDOTE" in expired.message
    assert "ward W1 (Door ward) is spent" in {r.message for r in lf1.reasons}
    assert lf1.level is Level.RED


def test_a_stocktake_counts_as_a_visit(db: Database) -> None:
    later = NOW.date() + timedelta(days=130)
    assert "no-visit" in {r.rule for r in by_code(db, later)["LF-002"].reasons}
    ledger.record(db, movement_request("count", "LF-002", "FOOD-RICE", 10), now=NOW + timedelta(days=100))
    assert "no-visit" not in {r.rule for r in by_code(db, later)["LF-002"].reasons}
