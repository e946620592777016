"""The bundled Land of Fire: a deterministic map, register and year of history that make a mixed picture."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from refuge.domain.defences import state_of
from refuge.domain.ledger import VISIT_KINDS, Lot, MovementKind, lots_from
from refuge.domain.network import Category, ShelterStatus
from refuge.domain.readiness import ExpiredLot, Level, ShelterFacts, Shortfall, assess
from refuge.scenarios.land_of_fire import land_of_fire
from refuge.scenarios.model import Scenario

END = datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc)
ISLAND = "LF-036"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return land_of_fire(END)


# --- geometry helpers -------------------------------------------------------------------------


def inside(point: tuple[float, float], outline: list[tuple[float, float]]) -> bool:
    """Ray casting: whether the point lies inside the polygon."""
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def distance_to_line(point: tuple[float, float], line: list[tuple[float, float]]) -> float:
    def to_segment(a: tuple[float, float], b: tuple[float, float]) -> float:
        dx, dy = b[0] - a[0], b[1] - a[1]
        t = max(0.0, min(1.0, ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / (dx * dx + dy * dy)))
        return math.dist(point, (a[0] + t * dx, a[1] + t * dy))

    return min(to_segment(a, b) for a, b in zip(line, line[1:]))


# --- readiness facts, gathered from the scenario as the store gathers them from the database ---


def facts_of(scenario: Scenario, as_of: date) -> dict[str, ShelterFacts]:
    lines: dict[tuple[str, str], list] = defaultdict(list)
    visits: dict[str, list[datetime]] = defaultdict(list)
    for movement in scenario.movements:
        for line in movement.lines:
            lines[(line.shelter, movement.sku)].append((line.expires_on, line.quantity))
        if movement.kind in VISIT_KINDS:
            visits[movement.shelter].append(movement.occurred_at)
        if movement.kind is MovementKind.TRANSFER:  # the store counts a delivery as a visit too
            visits[movement.to_shelter].append(movement.occurred_at)
    tests = defaultdict(list)
    for test in scenario.defence_tests:
        tests[(test.shelter, test.defence)].append(test)
        visits[test.shelter].append(test.tested_at)
    lots = {key: lots_from(found) for key, found in lines.items()}
    return {
        s.code: ShelterFacts(
            s.code, s.status, *stock_facts(scenario, s.code, lots, as_of),
            defences=[state_of(d, tests[(s.code, d.code)], as_of) for d in scenario.defences if d.shelter == s.code],
            last_visit=max(visits[s.code], default=None),
        )
        for s in scenario.shelters
    }


def stock_facts(scenario: Scenario, code: str, lots: dict[tuple[str, str], list[Lot]], as_of: date) -> tuple:
    """Shortfalls, empty categories (as the store judges them: par items with a minimum) and expired lots."""
    category = {item.sku: item.category.value for item in scenario.items}
    pars = [par for par in scenario.par_levels if par.shelter == code]
    usable = {p.sku: sum((lot.quantity for lot in lots.get((code, p.sku), []) if not lot.expired(as_of)), Decimal(0))
              for p in pars}
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    for par in pars:
        if par.min > 0:
            by_category[category[par.sku]] += usable[par.sku]
    shortfalls = [Shortfall(p.sku, usable[p.sku], p.min) for p in pars if usable[p.sku] < p.min]
    empty = sorted(name for name, total in by_category.items() if total <= 0)
    expired = [ExpiredLot(sku, lot.expires_on, lot.quantity)
               for (where, sku), found in lots.items() if where == code for lot in found if lot.expired(as_of)]
    return shortfalls, empty, expired


def levels(scenario: Scenario) -> dict[str, Level]:
    return {code: assess(facts, END.date()).level for code, facts in facts_of(scenario, END.date()).items()}


# --- determinism and size ---------------------------------------------------------------------


def test_the_same_seed_and_end_give_the_same_scenario(scenario):
    assert land_of_fire(END) == scenario


def test_another_seed_gives_another_history(scenario):
    other = land_of_fire(END, seed=7)
    assert other.movements != scenario.movements
    assert other.shelters == scenario.shelters


def test_an_end_in_another_time_zone_is_the_same_moment_in_utc(scenario):
    assert land_of_fire(END.astimezone(timezone(timedelta(hours=9)))) == scenario


def test_the_register_has_about_forty_shelters_thirty_items_in_every_category_and_thirty_people(scenario):
    assert 35 <= len(scenario.shelters) <= 45
    assert [s.code for s in scenario.shelters] == [f"LF-{n:03d}" for n in range(1, len(scenario.shelters) + 1)]
    assert 25 <= len(scenario.items) <= 35
    assert {item.category for item in scenario.items} == set(Category)
    assert 25 <= len(scenario.people) <= 35
    handles = [person.handle for person in scenario.people]
    assert len(set(handles)) == len(handles)
    assert {"kakashi", "iruka", "tsunade", "shizune"} <= set(handles)


def test_tsunade_is_the_kage_with_the_highest_clearance(scenario):
    tsunade = next(person for person in scenario.people if person.handle == "tsunade")
    assert (tsunade.rank.value, tsunade.clearance, "medic" in tsunade.skills) == ("kage", 5, True)


def test_there_is_one_base_village_and_exactly_one_town_with_a_hospital(scenario):
    assert [p.name for p in scenario.places if p.is_base] == ["Hidden Leaf Village"]
    assert [p.kind for p in scenario.places if p.has_hospital] == ["town"]
    assert 5 <= sum(p.kind == "town" for p in scenario.places) <= 7


def test_most_shelters_are_active_with_a_couple_closed_and_one_compromised(scenario):
    statuses = Counter(shelter.status for shelter in scenario.shelters)
    assert statuses[ShelterStatus.COMPROMISED] == 1
    assert 1 <= statuses[ShelterStatus.CLOSED] <= 2
    assert all(1 <= s.beds <= 8 and s.access_notes for s in scenario.shelters)


# --- the map ----------------------------------------------------------------------------------


def test_everything_lies_on_the_map(scenario):
    net = scenario.network
    assert all(0 <= p.x <= net.width_m and 0 <= p.y <= net.height_m for p in [*scenario.places, *scenario.shelters])


def test_the_island_shelter_lies_on_the_island_in_the_lake(scenario):
    island, lake = scenario.features["island"], scenario.features["lake"]
    shelter = next(s for s in scenario.shelters if s.code == ISLAND)
    assert inside((shelter.x, shelter.y), island)
    assert all(inside(corner, lake) for corner in island)


def test_no_other_shelter_and_no_place_is_in_the_lake(scenario):
    lake = scenario.features["lake"]
    wet = [s.code for s in scenario.shelters if s.code != ISLAND and inside((s.x, s.y), lake)]
    assert wet == []
    assert not any(inside((p.x, p.y), lake) for p in scenario.places)


def test_no_shelter_stands_on_a_road_or_in_a_river(scenario):
    lines = [f["points"] for kind in ("roads", "rivers") for f in scenario.features[kind]]
    assert len(scenario.features["rivers"]) in (2, 3)
    too_close = [s.code for s in scenario.shelters if min(distance_to_line((s.x, s.y), line) for line in lines) < 300]
    assert too_close == []


# --- par levels and defences ------------------------------------------------------------------


def test_every_active_shelter_has_par_levels_for_most_items(scenario):
    per_shelter = Counter(par.shelter for par in scenario.par_levels)
    active = [s.code for s in scenario.shelters if s.status is ShelterStatus.ACTIVE]
    assert all(per_shelter[code] >= 0.8 * len(scenario.items) for code in active)


def test_every_shelter_has_one_to_four_defences_with_codes_unique_within_it(scenario):
    codes = defaultdict(list)
    for defence in scenario.defences:
        codes[defence.shelter].append(defence.code)
    assert set(codes) == {s.code for s in scenario.shelters}
    assert all(1 <= len(found) <= 4 and len(set(found)) == len(found) for found in codes.values())


def test_defence_tests_name_real_defences_and_people_on_the_roster(scenario):
    known = {(d.shelter, d.code) for d in scenario.defences}
    handles = {p.handle for p in scenario.people}
    assert all((t.shelter, t.defence) in known and t.by in handles for t in scenario.defence_tests)


# --- the ledger -------------------------------------------------------------------------------


def test_nothing_happens_after_the_end_or_before_the_year_began(scenario):
    start = END - timedelta(days=365)
    moments = [m.occurred_at for m in scenario.movements] + [t.tested_at for t in scenario.defence_tests]
    assert start <= min(moments) and max(moments) <= END
    assert max(m.recorded_at for m in scenario.movements) <= END


def test_nothing_is_recorded_before_it_happened_and_the_list_is_in_recorded_order(scenario):
    assert all(m.recorded_at >= m.occurred_at for m in scenario.movements)
    recorded = [m.recorded_at for m in scenario.movements]
    assert recorded == sorted(recorded)


def test_every_movement_has_its_own_key_and_names_someone_on_the_roster(scenario):
    keys = [m.key for m in scenario.movements]
    assert all(keys) and len(set(keys)) == len(keys)
    handles = {p.handle for p in scenario.people}
    assert all(m.by in handles for m in scenario.movements)


def test_the_history_holds_every_kind_of_movement_and_a_few_thousand_at_most(scenario):
    kinds = Counter(m.kind for m in scenario.movements)
    assert set(kinds) == set(MovementKind)
    assert 1000 <= len(scenario.movements) <= 6000
    assert kinds[MovementKind.CONSUME] and all(m.note for m in scenario.movements if m.source == "mission")


@pytest.mark.parametrize("order", ["recorded", "occurred"])
def test_replaying_the_lot_lines_never_drives_a_lot_negative(scenario, order):
    movements = scenario.movements if order == "recorded" else sorted(scenario.movements, key=lambda m: m.occurred_at)
    held: Counter = Counter()
    for movement in movements:
        for line in movement.lines:
            held[(line.shelter, movement.sku, line.expires_on)] += line.quantity
            assert held[(line.shelter, movement.sku, line.expires_on)] >= 0, movement


def test_each_movement_quantity_is_the_sum_of_its_lines_at_its_shelter(scenario):
    for movement in scenario.movements:
        here = [line.quantity for line in movement.lines if line.shelter == movement.shelter]
        assert movement.quantity == sum(here, Decimal(0))


# --- readiness at the end ---------------------------------------------------------------------


def test_readiness_at_the_end_is_mixed_green_amber_and_red(scenario):
    found = Counter(levels(scenario).values())
    assert found[Level.GREEN] >= 10
    assert found[Level.AMBER] >= 5
    assert found[Level.RED] >= 3


def test_the_hard_to_reach_island_shelter_is_one_of_the_neglected(scenario):
    facts = facts_of(scenario, END.date())[ISLAND]
    assert (END - facts.last_visit).days > 120
    assert assess(facts, END.date()).level is not Level.GREEN


def test_the_volunteers_have_calendars_with_free_days_and_days_away(scenario: Scenario) -> None:
    from refuge.scenarios.land_of_fire_data import VOLUNTEERS

    assert set(scenario.calendars) == set(VOLUNTEERS) <= {p.handle for p in scenario.people}
    first = END.date() + timedelta(days=1)
    for handle, calendar in scenario.calendars.items():
        free = calendar.free_days(first, 42)
        assert 0 < len(free) < 42, handle
    iruka = scenario.calendars["iruka"]
    assert iruka.free_on(date(2027, 7, 14)) and not iruka.free_on(date(2026, 12, 2))  # a Wednesday in term
    assert iruka.free_on(date(2026, 12, 5))  # a Saturday
