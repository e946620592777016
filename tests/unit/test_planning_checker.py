"""The independent checker refuses broken solutions, one rule at a time, and recomputes the cost."""

from __future__ import annotations

from refuge.planning.checker import check_cvrp, check_irp
from refuge.planning.instances import CVRPInstance, CVRPSolution
from refuge.planning.irp_model import IRPInstance, IRPSolution, Route, Site


def tiny(vehicles: int = 1, capacity: int = 30) -> IRPInstance:
    """Supplier at the origin; customer 1 at (3, 4) (5 away), customer 2 at (6, 8) (10 away, 5 from 1)."""
    sites = (Site(0, 0, initial=100, rate=10, holding=0.5),
             Site(3, 4, initial=10, rate=10, holding=1.0, maximum=20, minimum=0),
             Site(6, 8, initial=5, rate=5, holding=2.0, maximum=15, minimum=0))
    return IRPInstance("tiny", days=2, vehicles=vehicles, capacity=capacity, sites=sites,
                       distances=IRPInstance.rounded_distances([(s.x, s.y) for s in sites]))


def good() -> IRPSolution:
    return IRPSolution((Route(1, (1, 2), (10, 10)),))


def test_a_valid_solution_passes_with_its_cost_recomputed_in_both_conventions() -> None:
    verdict = check_irp(tiny(), good())
    assert verdict.feasible, verdict.violations
    assert verdict.routing == 5 + 5 + 10
    # end of day 1: supplier 100+10-20 = 90, c1 10+10-10 = 10, c2 5+10-5 = 10
    # end of day 2: supplier 100, c1 0, c2 5
    assert verdict.holding == (0.5 * 90 + 1 * 10 + 2 * 10) + (0.5 * 100 + 0 + 2 * 5)
    assert verdict.opening == 0.5 * 100 + 1 * 10 + 2 * 5
    assert verdict.cost_with_opening_stock == verdict.cost + verdict.opening


def test_over_capacity_is_refused() -> None:
    verdict = check_irp(tiny(capacity=15), good())
    assert any("exceeds the capacity 15" in v for v in verdict.violations)


def test_filling_above_the_maximum_level_is_refused() -> None:
    verdict = check_irp(tiny(), IRPSolution((Route(1, (1,), (11,)), Route(1, (2,), (1,)))))
    assert any("customer 1 would hold 21 after delivery, above its maximum level 20" in v for v in verdict.violations)


def test_falling_below_the_minimum_is_refused() -> None:
    verdict = check_irp(tiny(), IRPSolution((Route(1, (2,), (10,)),)))
    assert any("day 2: customer 1 ends at -10, below its minimum 0" in v for v in verdict.violations)


def test_two_deliveries_to_a_customer_on_one_day_are_refused() -> None:
    solution = IRPSolution((Route(1, (1,), (5,)), Route(1, (1, 2), (5, 10))))
    verdict = check_irp(tiny(vehicles=2), solution)
    assert "customer 1 gets two deliveries on day 1" in verdict.violations


def test_more_routes_than_vehicles_and_a_short_supplier_are_refused() -> None:
    solution = IRPSolution((Route(1, (1,), (10,)), Route(1, (2,), (10,))))
    assert "day 1: 2 routes but only 1 vehicle(s)" in check_irp(tiny(), solution).violations
    poor = tiny()
    poor = IRPInstance(poor.name, poor.days, poor.vehicles, poor.capacity,
                       (Site(0, 0, initial=5, rate=10, holding=0.5), *poor.sites[1:]), poor.distances)
    assert any("the supplier ships 20 but holds only 15" in v for v in check_irp(poor, good()).violations)


def test_unknown_stops_and_days_are_refused() -> None:
    verdict = check_irp(tiny(), IRPSolution((Route(3, (1,), (1,)), Route(1, (7,), (1,)))))
    assert any("day outside 1..2" in v for v in verdict.violations)
    assert any("stop 7 is not a customer" in v for v in verdict.violations)


def test_cvrp_checker_counts_every_customer_once_and_each_load() -> None:
    points = ((0, 0), (3, 4), (6, 8), (0, 5))
    instance = CVRPInstance("t", 10, (0, 6, 5, 4), points, IRPInstance.rounded_distances(list(points)))
    assert check_cvrp(instance, CVRPSolution(((1, 3), (2,)))).feasible
    assert check_cvrp(instance, CVRPSolution(((1, 3), (2,)))).routing == (5 + 3 + 5) + 20
    assert "route 1: load 11 exceeds the capacity 10" in check_cvrp(instance, CVRPSolution(((1, 2), (3,)))).violations
    assert "customers never visited: [2]" in check_cvrp(instance, CVRPSolution(((1, 3),))).violations
    assert "customers visited more than once: [3]" in check_cvrp(
        instance, CVRPSolution(((1, 3), (2, 3)))).violations
