"""The IRP solver reaches the proven optima of the small public instances, and its answers pass the
independent checker in both cost conventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from refuge.planning.checker import check_irp
from refuge.planning.instances import read_irp
from refuge.planning.irp_solver import SolveOptions, construct, reroute, solve_irp
from refuge.planning.schedule_search import QuantityModel, ScheduleSearch

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
    improved = ScheduleSearch(instance, seed=3).run(start, 1.0)
    rerouted = reroute(instance, improved, 0.5)
    for solution in (start, improved, rerouted):
        verdict = check_irp(instance, solution)
        assert verdict.feasible, verdict.violations
        assert solution.claimed_cost == pytest.approx(verdict.cost, abs=1e-6)
        assert verdict.cost >= optimum - 0.005
    assert improved.claimed_cost <= start.claimed_cost + 1e-6
    assert rerouted.claimed_cost <= improved.claimed_cost + 1e-6


def test_the_quantity_model_refuses_a_schedule_that_lets_a_customer_run_below_its_minimum() -> None:
    instance = read_irp(ARCHETTI / "Instances_lowcost_H3" / "abs1n5.dat")
    # customer 1 starts at 130 with demand 65 and minimum 0: without any delivery it is at -65 on day 3
    assert QuantityModel(instance).solve({1: [], 2: [], 3: []}) is None
    # customer 3 starts at 58 with demand 58: it needs a delivery by day 2
    assert QuantityModel(instance).solve({1: [], 2: [], 3: [[1, 2, 3, 4, 5]]}) is None
    found = QuantityModel(instance).solve({1: [], 2: [[1, 2, 3, 4, 5]], 3: []})
    assert found is not None


def test_the_construction_says_when_serving_as_late_as_possible_cannot_work() -> None:
    # customer 1 eats 65 a day but a vehicle carries 57: waiting until it is empty is too late
    instance = read_irp(DIMACS / "SmallH3" / "S_abs1n5_5_H3.dat")
    assert instance.sites[1].rate > instance.capacity
    assert construct(instance, 0.5) is None
