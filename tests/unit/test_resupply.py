"""The resupply planner on small networks: every plan is replayed by an independent checker."""

from __future__ import annotations

import math

import pytest

from refuge.planning.resupply import Network, Options, PlanRefused, Site, Volunteer, plan
from tests.plan_checker import audit, replay_risk

POSITIONS = {"BASE": (0, 0), "NEAR": (3000, 0), "EAST": (6000, 2000), "NORTH": (0, 5000), "FAR": (45000, 0),
             "ISLAND": (2000, 2000)}
ITEMS = {"RICE": (0.5, None), "WATER": (1.0, None), "BANDAGE": (0.05, None)}


def walking(a: str, b: str) -> float | None:
    if "ISLAND" in (a, b) and a != b:
        return None
    return math.dist(POSITIONS[a], POSITIONS[b]) / 1000 / 4.0 * 3600


def network(sites: list[Site], stock: float = 6, defences: dict | None = None) -> Network:
    codes = [s.code for s in sites]
    return Network("BASE", sites, ITEMS, {(c, sku): (3, 10, 14) for c in codes for sku in ITEMS},
                   {(c, sku): [(None, stock)] for c in codes for sku in ITEMS}, walking, defences or {})


GENTLE = [Site("NEAR", 0.3, ({"RICE": 1, "WATER": 1}, {"BANDAGE": 2})), Site("EAST", 0.2, ({"RICE": 2},)),
          Site("NORTH", 0.25, ({"WATER": 2, "BANDAGE": 1},))]
TEAM = [Volunteer("anko", 20, 8), Volunteer("choji", 15, 8)]


def test_a_gentle_network_is_kept_above_its_minimums_within_loads_days_and_hours() -> None:
    made = plan(network(GENTLE), TEAM, Options(28, time_limit=3))
    assert made.runs
    assert made.uncovered == []
    assert audit(network(GENTLE), made) == []


def test_the_same_inputs_give_the_same_plan() -> None:
    first = plan(network(GENTLE), TEAM, Options(14, time_limit=2))
    again = plan(network(GENTLE), TEAM, Options(14, time_limit=2))
    assert [(r.day, r.volunteer.name, [(s.shelter, s.load) for s in r.stops]) for r in first.runs] == \
           [(r.day, r.volunteer.name, [(s.shelter, s.load) for s in r.stops]) for r in again.runs]


def test_a_shelter_farther_than_a_day_gets_a_run_of_several_days() -> None:
    far = [*GENTLE, Site("FAR", 0.3, ({"RICE": 2, "WATER": 1},))]
    made = plan(network(far, stock=4), TEAM, Options(21, time_limit=3))
    to_far = [r for r in made.runs if any(s.shelter == "FAR" for s in r.stops)]
    assert to_far and all(r.days >= 3 for r in to_far)
    assert audit(network(far, stock=4), made) == []


def test_a_volunteer_free_only_some_days_walks_only_on_them() -> None:
    weekends = Volunteer("ebisu", 20, 8, frozenset(d for d in range(28) if d % 7 in (5, 6)))
    made = plan(network(GENTLE), [weekends], Options(28, time_limit=3))
    assert made.runs and all(r.day % 7 in (5, 6) for r in made.runs)
    assert audit(network(GENTLE), made) == []


def test_a_run_of_several_days_keeps_to_days_the_volunteer_is_free_in_a_row() -> None:
    far = [*GENTLE, Site("FAR", 0.3, ({"RICE": 2, "WATER": 1},))]
    every_other_day = Volunteer("anko", 20, 8, frozenset(range(0, 21, 2)))
    long_weekends = Volunteer("choji", 20, 8, frozenset(d for d in range(21) if d % 7 in (4, 5, 6)))
    made = plan(network(far, stock=4), [every_other_day, long_weekends], Options(21, time_limit=3))
    to_far = [r for r in made.runs if any(s.shelter == "FAR" for s in r.stops)]
    assert to_far and all(r.volunteer.name == "choji" and r.day % 7 == 4 for r in to_far)
    assert audit(network(far, stock=4), made) == []


def test_a_shelter_farther_than_anyone_is_free_in_a_row_is_listed_with_the_reason() -> None:
    far = [*GENTLE, Site("FAR", 0.3, ({"RICE": 2, "WATER": 1},))]
    made = plan(network(far, stock=4), [Volunteer("anko", 20, 8, frozenset(range(0, 21, 2)))], Options(21, time_limit=2))
    assert {u.shelter: u.reason for u in made.uncovered}["FAR"] == \
        "a run there and back takes 3 days and no volunteer is free 3 days in a row in the plan"
    assert all(s.shelter != "FAR" for r in made.runs for s in r.stops)
    assert audit(network(far, stock=4), made) == []


def test_the_replay_catches_a_run_on_a_day_the_volunteer_is_away() -> None:
    made = plan(network(GENTLE), [Volunteer("anko", 20, 8)], Options(14, time_limit=2))
    walked = {d for r in made.runs for d in range(r.day, r.day + r.days)}
    assert walked and audit(network(GENTLE), made) == []
    away = set(range(14)) - {min(walked)}
    assert any("a day they are not free" in p for p in audit(network(GENTLE), made, {"anko": away}))


def test_an_island_without_a_route_is_listed_as_not_covered_with_the_reason() -> None:
    sites = [*GENTLE, Site("ISLAND", 0.2, ({"RICE": 1},))]
    made = plan(network(sites), TEAM, Options(14, time_limit=2))
    assert [(u.shelter, u.reason) for u in made.uncovered] == \
           [("ISLAND", "no route from the base and back in the travel matrix")]
    assert all(s.shelter != "ISLAND" for r in made.runs for s in r.stops)


def test_a_shelter_whose_use_outweighs_a_full_load_every_day_is_listed() -> None:
    sites = [*GENTLE[:1], Site("EAST", 30.0, ({"WATER": 5},))]
    made = plan(network(sites), TEAM, Options(7, time_limit=2))
    reasons = {u.shelter: u.reason for u in made.uncovered}
    assert "cannot keep up" in reasons["EAST"]


def test_a_shelter_already_below_its_minimum_says_so() -> None:
    made = plan(network(GENTLE, stock=0), [Volunteer("anko", 20, 8, frozenset({3, 4, 5}))], Options(7, time_limit=2))
    assert {u.shelter for u in made.uncovered} == {"NEAR", "EAST", "NORTH"}
    assert all("already below a minimum on the first day" in u.reason for u in made.uncovered)
    assert audit(network(GENTLE, stock=0), made) == []


def test_defence_tests_falling_due_go_to_the_visit_on_the_way() -> None:
    tests = {"NEAR": [("W1", "door ward", 5), ("T9", "late trap", 400)]}
    made = plan(network(GENTLE, stock=3, defences=tests), TEAM, Options(14, time_limit=2))
    tasks = [task for r in made.runs for s in r.stops if s.shelter == "NEAR" for task in s.tasks]
    assert tasks == [("W1", "door ward", 5)]


def test_the_replay_catches_a_plan_that_skips_a_visit() -> None:
    made = plan(network(GENTLE, stock=4), TEAM, Options(21, time_limit=2))
    assert made.runs
    broken = type(made)(made.options, [], [], made.risk, made.expected_shortage, 0.0, 0.0)
    assert any(chance > made.options.risk for chance in replay_risk(network(GENTLE, stock=4), broken).values())
    assert audit(network(GENTLE, stock=4), broken)


@pytest.mark.parametrize("team, options, message", [
    ([], Options(7), "at least one volunteer"),
    (TEAM, Options(0), "at least one day"),
    ([Volunteer("anko", 20, 8, frozenset({30}))], Options(7), "not available on any day"),
    ([Volunteer("anko", 0, 8)], Options(7), "carrying capacity"),
    ([Volunteer("anko", 20, 30)], Options(7), "hours a day"),
])
def test_inputs_that_cannot_make_a_plan_are_refused(team: list, options: Options, message: str) -> None:
    with pytest.raises(PlanRefused, match=message):
        plan(network(GENTLE), team, options)


CLASSIFIED = [Site("NEAR", 0.3, ({"RICE": 1, "WATER": 1},)), Site("EAST", 0.3, ({"RICE": 2},), clearance=3)]


def test_a_volunteer_is_never_sent_to_a_shelter_classified_above_their_clearance() -> None:
    team = [Volunteer("iruka", 20, 8, clearance=2), Volunteer("kakashi", 20, 8, clearance=4)]
    made = plan(network(CLASSIFIED), team, Options(21, time_limit=3))
    to_east = [r for r in made.runs if any(s.shelter == "EAST" for s in r.stops)]
    assert to_east and {r.volunteer.name for r in to_east} == {"kakashi"}
    assert audit(network(CLASSIFIED), made) == []


def test_a_shelter_classified_above_every_volunteer_is_listed_as_not_covered() -> None:
    made = plan(network(CLASSIFIED), [Volunteer("iruka", 20, 8, clearance=2)], Options(14, time_limit=2))
    assert not any(s.shelter == "EAST" for r in made.runs for s in r.stops)
    assert [(u.shelter, u.reason) for u in made.uncovered if u.shelter == "EAST"] == [
        ("EAST", "classified 3, above the clearance of every volunteer named")]
