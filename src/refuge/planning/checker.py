"""An independent check of an IRP solution under the maximum-level policy, written apart from the solver.

It replays the horizon day by day exactly as the benchmark rules state: deliveries first, each with
I(i,t-1) + q(i,t) <= U_i; then demand is consumed and the supplier produces; end-of-day levels >= L_i at
customers and >= 0 at the supplier. At most one delivery per customer per day, at most K routes a day,
each route's load within the capacity. Cost is recomputed from the coordinates, not taken from the
solver: routing + holding cost of end-of-day stock on days 1..H (DIMACS convention), plus the opening
stock's holding cost for the Archetti convention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from refuge.planning.instances import CVRPInstance, CVRPSolution
from refuge.planning.irp_model import IRPInstance, IRPSolution


@dataclass
class Verdict:
    violations: list[str] = field(default_factory=list)
    routing: float = 0.0
    holding: float = 0.0  # days 1..H
    opening: float = 0.0  # day 0, charged by the Archetti convention only

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def cost(self) -> float:
        """DIMACS convention."""
        return self.routing + self.holding

    @property
    def cost_with_opening_stock(self) -> float:
        """Archetti convention."""
        return self.cost + self.opening


def _arc(a: tuple[float, float], b: tuple[float, float]) -> int:
    return int(math.floor(math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) + 0.5))


def check_irp(instance: IRPInstance, solution: IRPSolution) -> Verdict:
    verdict = Verdict()
    bad = verdict.violations
    sites = instance.sites
    n = len(sites) - 1
    position = [(site.x, site.y) for site in sites]
    delivered: dict[tuple[int, int], int] = {}
    routes_on: dict[int, int] = {}
    for number, route in enumerate(solution.routes, start=1):
        label = f"route {number} (day {route.day})"
        if not 1 <= route.day <= instance.days:
            bad.append(f"{label}: day outside 1..{instance.days}")
            continue
        if len(route.stops) != len(route.quantities):
            bad.append(f"{label}: {len(route.stops)} stops but {len(route.quantities)} quantities")
            continue
        if not route.stops:
            continue
        routes_on[route.day] = routes_on.get(route.day, 0) + 1
        load = 0
        for stop, amount in zip(route.stops, route.quantities):
            if not (isinstance(stop, int) and 1 <= stop <= n):
                bad.append(f"{label}: stop {stop!r} is not a customer")
                continue
            if amount < 0:
                bad.append(f"{label}: negative quantity {amount} for customer {stop}")
            if (stop, route.day) in delivered:
                bad.append(f"customer {stop} gets two deliveries on day {route.day}")
            delivered[(stop, route.day)] = delivered.get((stop, route.day), 0) + amount
            load += amount
        if load > instance.capacity:
            bad.append(f"{label}: load {load} exceeds the capacity {instance.capacity}")
        path = [0, *route.stops, 0]
        if all(isinstance(s, int) and 0 <= s <= n for s in path):
            verdict.routing += sum(_arc(position[a], position[b]) for a, b in zip(path, path[1:]))
    for day, count in sorted(routes_on.items()):
        if count > instance.vehicles:
            bad.append(f"day {day}: {count} routes but only {instance.vehicles} vehicle(s)")

    verdict.opening = sum(site.holding * site.initial for site in sites)
    level = [site.initial for site in sites]
    for day in range(1, instance.days + 1):
        shipped = 0
        for i in range(1, n + 1):
            amount = delivered.get((i, day), 0)
            shipped += amount
            if level[i] + amount > sites[i].maximum:
                bad.append(f"day {day}: customer {i} would hold {level[i] + amount} after delivery, above its "
                           f"maximum level {sites[i].maximum}")
            level[i] += amount - sites[i].rate
            if level[i] < sites[i].minimum:
                bad.append(f"day {day}: customer {i} ends at {level[i]}, below its minimum {sites[i].minimum}")
        level[0] += sites[0].rate - shipped
        if level[0] < 0:
            bad.append(f"day {day}: the supplier ships {shipped} but holds only {level[0] + shipped}")
        verdict.holding += sum(site.holding * level[i] for i, site in enumerate(sites))
    return verdict


def check_cvrp(instance: CVRPInstance, solution: CVRPSolution) -> Verdict:
    """Every customer exactly once, each route within the capacity, cost recomputed from coordinates."""
    verdict = Verdict()
    seen: dict[int, int] = {}
    for number, route in enumerate(solution.routes, start=1):
        load = 0
        for stop in route:
            if not 1 <= stop <= instance.size:
                verdict.violations.append(f"route {number}: {stop} is not a customer")
                continue
            seen[stop] = seen.get(stop, 0) + 1
            load += instance.demands[stop]
        if load > instance.capacity:
            verdict.violations.append(f"route {number}: load {load} exceeds the capacity {instance.capacity}")
        path = [0, *route, 0]
        if all(0 <= s <= instance.size for s in path):
            verdict.routing += sum(_arc(instance.coords[a], instance.coords[b]) for a, b in zip(path, path[1:]))
    missing = [c for c in range(1, instance.size + 1) if c not in seen]
    twice = sorted(c for c, k in seen.items() if k > 1)
    if missing:
        verdict.violations.append(f"customers never visited: {missing[:10]}")
    if twice:
        verdict.violations.append(f"customers visited more than once: {twice[:10]}")
    return verdict
