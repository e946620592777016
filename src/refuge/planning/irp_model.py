"""A format-independent inventory routing problem (IRP) and its solution.

The model is the one of the benchmark literature (Archetti et al. 2007; DIMACS 2021), which the resupply
planner reuses: a supplier (node 0) and customers 1..n with stock levels, a horizon of days 1..H, and K
identical vehicles of capacity Q. Each day deliveries come first, then demand is consumed and the
supplier produces. Under the maximum-level policy a delivery may not lift a customer above its maximum
level; the end-of-day level must stay at or above the minimum. Cost is the routing cost plus the holding
cost of end-of-day stock at the customers and the supplier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Site:
    """The supplier (index 0) or a customer: position, stock and costs. Quantities are per day."""

    x: float
    y: float
    initial: int
    rate: int  # production at the supplier, demand at a customer
    holding: float  # cost of one unit held overnight
    maximum: int | None = None  # customers only
    minimum: int = 0


@dataclass(frozen=True)
class IRPInstance:
    """An IRP instance. sites[0] is the supplier; distances are symmetric integers."""

    name: str
    days: int
    vehicles: int
    capacity: int
    sites: tuple[Site, ...]
    distances: tuple[tuple[int, ...], ...] = field(repr=False)

    @property
    def customers(self) -> range:
        return range(1, len(self.sites))

    @property
    def size(self) -> int:
        """The number of customers."""
        return len(self.sites) - 1

    @property
    def opening_stock_cost(self) -> float:
        """The holding cost of the stock at t = 0, which the Archetti tables charge and DIMACS does not."""
        return sum(site.holding * site.initial for site in self.sites)

    @staticmethod
    def rounded_distances(points: list[tuple[float, float]]) -> tuple[tuple[int, ...], ...]:
        """c_ij = floor(sqrt(dx² + dy²) + 0.5), the benchmarks' convention."""
        return tuple(tuple(int(math.floor(math.hypot(a[0] - b[0], a[1] - b[1]) + 0.5)) for b in points)
                     for a in points)


@dataclass(frozen=True)
class Route:
    """One vehicle's trip on one day: customers in order (the supplier at both ends is implied) and the
    quantity delivered to each."""

    day: int  # 1..H
    stops: tuple[int, ...]
    quantities: tuple[int, ...]

    @property
    def load(self) -> int:
        return sum(self.quantities)


@dataclass(frozen=True)
class IRPSolution:
    """Routes over the horizon, with what the solver claims they cost (the checker recomputes it)."""

    routes: tuple[Route, ...]
    claimed_cost: float | None = None
    proven_optimal: bool = False
    bound: float | None = None  # a lower bound on the cost (DIMACS convention) when the solver has one

    def deliveries(self, instance: IRPInstance) -> list[list[int]]:
        """q[t][i]: quantity delivered to site i on day t (index 0 of each list unused), t = 1..H."""
        q = [[0] * len(instance.sites) for _ in range(instance.days + 1)]
        for route in self.routes:
            for stop, amount in zip(route.stops, route.quantities):
                q[route.day][stop] += amount
        return q


def route_cost(instance: IRPInstance, stops: tuple[int, ...] | list[int]) -> int:
    if not stops:
        return 0
    path = [0, *stops, 0]
    return sum(instance.distances[a][b] for a, b in zip(path, path[1:]))


def holding_scale(instance: IRPInstance, limit: int = 10_000) -> int:
    """The smallest power of ten that makes every unit holding cost an integer (for integer solvers)."""
    scale = 1
    while scale <= limit:
        if all(Fraction(str(site.holding)) * scale == int(Fraction(str(site.holding)) * scale)
               for site in instance.sites):
            return scale
        scale *= 10
    raise ValueError(f"{instance.name}: holding costs need more than {len(str(limit)) - 1} decimals")
