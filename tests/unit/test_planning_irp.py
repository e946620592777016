"""The IRP solver reaches the proven optima of the small public instances, and its answers pass the
independent checker in both cost conventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from refuge.planning.checker import check_irp
from refuge.planning.instances import read_irp
from refuge.planning.irp_solver import SolveOptions, construct, reroute, solve_irp
from refuge.planning.irp_flow import QuantityFlow, alone_feasible, alone_holding
from refuge.planning.irp_routes import route_length, tidy
from refuge.planning.irp_search import ScheduleSearch

DATA = Path(__file__).resolve().parents[1] / "data" / "bench" / "irp"
ARCHETTI = DATA / "archetti2007_single_vehicle"
DIMACS = DATA / "dimacs2021_small"

# Proven optima as published (tests/data/bench/PROVENANCE.md): (days 1..H, with the opening stock)
PROVEN = [
    (ARCHETTI / "Instances_lowcost_H3" / "abs1n5.dat", 1213.00, 1235.92),
    (ARCHETTI / "Instances_highcost_H3" / "abs1n5.dat", 1870.88, 2108.34),
    (DIMACS / "SmallL3" / "S_abs1n5_2_L3.dat", 1373.41, None),
    (DIMACS / "SmallH3" / "S_abs1n5_5_H3.dat", 2361.94, None),
]


@pytest.mark.parametrize(("path", "optimum", "with_opening"), PROVEN, ids=lambda v: getattr(v, "stem", None))
def test_small_instances_are_solved_to_their_proven_optimum(path: Path, optimum: float,
                                                           with_opening: float | None) -> None:
    instance = read_irp(path)
    solution = solve_irp(instance, SolveOptions(time_limit=120, workers=2))
    verdict = check_irp(instance, solution)
    assert verdict.feasible, verdict.violations
    assert solution.proven_optimal
    assert verdict.cost == pytest.approx(optimum, abs=0.005)
    assert solution.claimed_cost == pytest.approx(verdict.cost, abs=1e-6)
    if with_opening is not None:
        assert verdict.cost_with_opening_stock == pytest.approx(with_opening, abs=0.005)


@pytest.mark.parametrize("path", [p for p, _, _ in PROVEN[:3]], ids=lambda p: p.stem)
def test_the_heuristic_stages_give_checked_feasible_solutions_no_better_than_the_optimum(path: Path) -> None:
    instance = read_irp(path)
    optimum = next(value for p, value, _ in PROVEN if p == path)
    start = construct(instance, 0.5)
    assert start is not None
    improved = ScheduleSearch(instance, seed=3).run(start, 2.0)
    rerouted = reroute(instance, improved, 0.5)
    for solution in (start, improved, rerouted):
        verdict = check_irp(instance, solution)
        assert verdict.feasible, verdict.violations
        assert solution.claimed_cost == pytest.approx(verdict.cost, abs=1e-6)
        assert verdict.cost >= optimum - 0.005
    assert improved.claimed_cost <= start.claimed_cost + 1e-6
    assert rerouted.claimed_cost <= improved.claimed_cost + 1e-6


def test_the_quantity_flow_refuses_a_schedule_that_lets_a_customer_run_below_its_minimum() -> None:
    instance = read_irp(ARCHETTI / "Instances_lowcost_H3" / "abs1n5.dat")
    # customer 1 starts at 130 with demand 65 and minimum 0: without any delivery it is at -65 on day 3
    assert QuantityFlow(instance).solve([[], [], []]) is None
    # customer 3 starts at 58 with demand 58: it needs a delivery by day 2
    assert QuantityFlow(instance).solve([[], [], [[1, 2, 3, 4, 5]]]) is None
    assert QuantityFlow(instance).solve([[], [[1, 2, 3, 4, 5]], []]) is not None


@pytest.mark.parametrize("path", [p for p, _, _ in PROVEN], ids=lambda p: p.stem)
def test_the_flows_quantities_pass_the_checker_at_the_cost_it_claims(path: Path) -> None:
    instance = read_irp(path)
    search = ScheduleSearch(instance, seed=2)
    every_day = [[list(instance.customers)] for _ in range(instance.days)]
    if search.flow.solve(every_day) is None:  # one route cannot carry what the customers need: split it
        every_day = [[[i] for i in instance.customers][:instance.vehicles] for _ in range(instance.days)]
    found = search.flow.solve(every_day)
    assert found is not None
    solution = search.solution(every_day)
    verdict = check_irp(instance, solution)
    assert verdict.feasible, verdict.violations
    assert solution.claimed_cost == pytest.approx(verdict.cost, abs=1e-6)


def test_with_a_penalty_the_flow_prices_what_a_route_carries_beyond_the_vehicle() -> None:
    instance = read_irp(DIMACS / "SmallH3" / "S_abs1n5_5_H3.dat")
    flow = QuantityFlow(instance)
    one_route = [[list(instance.customers)] for _ in range(instance.days)]
    assert flow.solve(one_route) is None  # a vehicle holds 57; the customers need more a day
    cheap, dear = flow.priced(one_route, 1.0), flow.priced(one_route, 10.0)
    assert cheap is not None and dear is not None and cheap[2] > 0 and dear[2] > 0
    assert dear[0] > cheap[0] + 8 * min(cheap[2], dear[2])


def test_a_customer_alone_is_kept_above_its_minimum_only_on_enough_days() -> None:
    instance = read_irp(ARCHETTI / "Instances_lowcost_H3" / "abs1n5.dat")
    # customer 3: 58 at the start, 58 a day, at most 116: it needs a visit on day 1 or 2, and again by day 3
    assert not alone_feasible(instance, 3, 0b000) and not alone_feasible(instance, 3, 0b100)
    assert alone_feasible(instance, 3, 0b010) or alone_feasible(instance, 3, 0b011)
    assert alone_holding(instance, 3, 0b000) == float("inf")


def test_tidying_a_route_never_lengthens_it_and_keeps_its_stops() -> None:
    import random

    instance = read_irp(DIMACS / "SmallH3" / "S_abs1n5_5_H3.dat")
    d = [list(row) for row in instance.distances]
    chance = random.Random(4)
    for _ in range(30):
        route = list(instance.customers)
        chance.shuffle(route)
        tidied = tidy(d, route)
        assert sorted(tidied) == sorted(route) and route_length(d, tidied) <= route_length(d, route)


def test_the_construction_says_when_serving_as_late_as_possible_cannot_work() -> None:
    # customer 1 eats 65 a day but a vehicle carries 57: waiting until it is empty is too late
    instance = read_irp(DIMACS / "SmallH3" / "S_abs1n5_5_H3.dat")
    assert instance.sites[1].rate > instance.capacity
    assert construct(instance, 0.5) is None
