"""Local search over the delivery schedule of an IRP, with exact route-cost deltas.

A solution is a set of routes per day. A move removes a customer's visit on a day, adds one (at the
cheapest position of that day's routes, or on a new route while vehicles remain) or moves it to
another day. The quantities for a set of routes are the optimum of a small integer program (HiGHS via
SciPy): inventory balance with the maximum-level and minimum-level bounds, each route within the
capacity, the supplier never below zero, least holding cost. A move is kept when routing delta plus
holding delta is negative. Changed routes are tidied by 2-opt; an iterated version perturbs a few
visits and searches again, keeping the best.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from refuge.planning.irp_model import IRPInstance, IRPSolution, Route, route_cost

Routes = dict[int, list[list[int]]]  # day -> routes, each a list of customers


class QuantityModel:
    """Least holding cost quantities for fixed routes, by a small integer program."""

    def __init__(self, instance: IRPInstance) -> None:
        self.instance = instance
        sites, days = instance.sites, instance.days
        # the constant part of holding: every site's stock if nothing were delivered
        self.base = sum(s.holding * (s.initial + (t * s.rate if i == 0 else -t * s.rate))
                        for t in range(1, days + 1) for i, s in enumerate(sites))
        self.cache: dict[tuple, tuple[float, dict[tuple[int, int], int]] | None] = {}

    def solve(self, routes: Routes) -> tuple[float, dict[tuple[int, int], int]] | None:
        key = tuple((t, tuple(sorted(tuple(r) for r in routes[t] if r))) for t in sorted(routes))
        if key in self.cache:
            return self.cache[key]
        result = self._solve(routes)
        self.cache[key] = result
        return result

    def _solve(self, routes: Routes) -> tuple[float, dict[tuple[int, int], int]] | None:
        inst = self.instance
        sites, days, h0 = inst.sites, inst.days, inst.sites[0].holding
        index: dict[tuple[int, int], int] = {}
        for t, day_routes in routes.items():
            for route in day_routes:
                for i in route:
                    index[t, i] = len(index)
        if not index:
            ok = all(s.initial - days * s.rate >= s.minimum for s in sites[1:])
            return (self.base, {}) if ok else None
        n = len(index)
        cost = np.zeros(n)
        upper = np.zeros(n)
        for (t, i), k in index.items():
            cost[k] = (sites[i].holding - h0) * (days - t + 1)
            upper[k] = min(sites[i].maximum, inst.capacity)
        rows, lower_b, upper_b = [], [], []
        # per customer and day: cumulative deliveries within [L - I0 + t r, U - I0 + (t-1) r]
        by_customer: dict[int, list[tuple[int, int]]] = {}
        for (t, i), k in index.items():
            by_customer.setdefault(i, []).append((t, k))
        for i in inst.customers:
            s = sites[i]
            mine = by_customer.get(i, [])
            for t in range(1, days + 1):
                low, high = s.minimum - s.initial + t * s.rate, s.maximum - s.initial + (t - 1) * s.rate
                ks = [k for (tau, k) in mine if tau <= t]
                if not ks:
                    if low > 0:
                        return None
                    continue
                row = {k: 1.0 for k in ks}
                # the ML bound binds only on days with a delivery; the minimum bound every day
                rows.append(row)
                lower_b.append(low)
                upper_b.append(high if any(tau == t for tau, _ in mine) else np.inf)
        for t, day_routes in routes.items():
            for route in day_routes:
                if route:
                    rows.append({index[t, i]: 1.0 for i in route})
                    lower_b.append(0)
                    upper_b.append(inst.capacity)
        for t in range(1, days + 1):
            ks = [k for (tau, _), k in index.items() if tau <= t]
            if ks:
                rows.append({k: 1.0 for k in ks})
                lower_b.append(-np.inf)
                upper_b.append(sites[0].initial + t * sites[0].rate)
        matrix = lil_matrix((len(rows), n))
        for r, row in enumerate(rows):
            for k, v in row.items():
                matrix[r, k] = v
        found = milp(cost, constraints=LinearConstraint(matrix.tocsr(), lower_b, upper_b),
                     integrality=np.ones(n), bounds=Bounds(np.zeros(n), upper))
        if found.status != 0:
            return None
        amounts = {key: int(round(found.x[k])) for key, k in index.items()}
        return self.base + float(cost @ np.round(found.x)), amounts


def _route_len(d: tuple[tuple[int, ...], ...], route: list[int]) -> int:
    if not route:
        return 0
    total = d[0][route[0]] + d[route[-1]][0]
    for a, b in zip(route, route[1:]):
        total += d[a][b]
    return total


def _two_opt(d: tuple[tuple[int, ...], ...], route: list[int]) -> list[int]:
    path = [0, *route, 0]
    improved = True
    while improved:
        improved = False
        for a in range(0, len(path) - 3):
            for b in range(a + 2, len(path) - 1):
                delta = (d[path[a]][path[b]] + d[path[a + 1]][path[b + 1]]
                         - d[path[a]][path[a + 1]] - d[path[b]][path[b + 1]])
                if delta < 0:
                    path[a + 1:b + 1] = reversed(path[a + 1:b + 1])
                    improved = True
    return path[1:-1]


class ScheduleSearch:
    def __init__(self, instance: IRPInstance, seed: int = 1) -> None:
        self.instance = instance
        self.quantities = QuantityModel(instance)
        self.random = random.Random(seed)
        d = instance.distances
        self.near = {i: sorted((j for j in instance.customers if j != i), key=lambda j: d[i][j])[:8]
                     for i in instance.customers}

    def routing(self, routes: Routes) -> int:
        d = self.instance.distances
        return sum(_route_len(d, r) for day in routes.values() for r in day)

    def evaluate(self, routes: Routes) -> float | None:
        found = self.quantities.solve(routes)
        return None if found is None else self.routing(routes) + found[0]

    def _insert(self, routes: Routes, t: int, i: int) -> Routes:
        """Routes with customer i added on day t at its cheapest position (or alone on a spare vehicle)."""
        d = self.instance.distances
        best, where = None, None
        for r, route in enumerate(routes[t]):
            path = [0, *route, 0]
            for p in range(len(path) - 1):
                delta = d[path[p]][i] + d[i][path[p + 1]] - d[path[p]][path[p + 1]]
                if best is None or delta < best:
                    best, where = delta, (r, p)
        new = {day: [list(x) for x in rs] for day, rs in routes.items()}
        if len([x for x in routes[t] if x]) < self.instance.vehicles and (best is None or 2 * d[0][i] < best):
            new[t].append([i])
        else:
            r, p = where  # type: ignore[misc]
            new[t][r].insert(p, i)
        return new

    def _remove(self, routes: Routes, t: int, i: int) -> Routes:
        new = {day: [list(x) for x in rs] for day, rs in routes.items()}
        new[t] = [[c for c in r if c != i] for r in new[t]]
        new[t] = [r for r in new[t] if r]
        return new

    def neighbours(self, routes: Routes):  # type: ignore[no-untyped-def]
        inst = self.instance
        visits = {(t, i) for t, rs in routes.items() for r in rs for i in r}
        customers = list(inst.customers)
        self.random.shuffle(customers)
        for i in customers:
            days = [t for t in range(1, inst.days + 1) if (t, i) in visits]
            free = [t for t in range(1, inst.days + 1) if (t, i) not in visits]
            for t in days:
                removed = self._remove(routes, t, i)
                yield removed
                for u in free:
                    yield self._insert(removed, u, i)
            for u in free:
                yield self._insert(routes, u, i)
            # swap days with a near customer: i leaves t for u while j leaves u for t
            for j in self.near[i]:
                for t in days:
                    for u in free:
                        if (u, j) in visits and (t, j) not in visits:
                            swapped = self._remove(self._remove(routes, t, i), u, j)
                            yield self._insert(self._insert(swapped, u, i), t, j)

    def descend(self, routes: Routes, cost: float, deadline: float) -> tuple[Routes, float]:
        d = self.instance.distances
        improved = True
        while improved and time.monotonic() < deadline:
            improved = False
            for candidate in self.neighbours(routes):
                if time.monotonic() >= deadline:
                    break
                value = self.evaluate(candidate)
                if value is not None and value < cost - 1e-6:
                    for t in candidate:
                        candidate[t] = [_two_opt(d, r) for r in candidate[t]]
                    routes, cost = candidate, self.evaluate(candidate)  # type: ignore[assignment]
                    improved = True
                    break
        return routes, cost

    def perturb(self, routes: Routes, strength: int) -> Routes:
        inst = self.instance
        for _ in range(strength):
            i = self.random.choice(list(inst.customers))
            t = self.random.randint(1, inst.days)
            visited = any(i in r for r in routes[t])
            routes = self._remove(routes, t, i) if visited else self._insert(routes, t, i)
        return routes

    def reroute(self, routes: Routes, seconds: float) -> tuple[Routes, float] | None:
        """Route every day again with PyVRP for the current quantities; None when nothing got shorter."""
        from refuge.planning.irp_solver import reroute

        found = self.quantities.solve(routes)
        if found is None:
            return None
        current = self.solution(routes, 0.0)
        better = reroute(self.instance, current, seconds, self.random.randint(1, 10**6))
        if better.claimed_cost >= current.claimed_cost - 1e-6:
            return None
        new: Routes = {t: [] for t in routes}
        for r in better.routes:
            new[r.day].append(list(r.stops))
        value = self.evaluate(new)
        return None if value is None else (new, value)

    def run(self, start: IRPSolution, seconds: float,
            report: Callable[[float], None] | None = None) -> IRPSolution:
        inst = self.instance
        deadline = time.monotonic() + seconds
        routes: Routes = {t: [] for t in range(1, inst.days + 1)}
        for r in start.routes:
            routes[r.day].append(list(r.stops))
        cost = self.evaluate(routes)
        if cost is None:
            return start
        routes, cost = self.descend(routes, cost, deadline)
        rerouted = self.reroute(routes, min(0.2 * inst.days, seconds * 0.1))
        if rerouted is not None:
            routes, cost = self.descend(*rerouted, deadline)
        best, best_cost = routes, cost
        if report:
            report(best_cost)
        while time.monotonic() < deadline:
            trial = self.perturb(best, self.random.randint(1, 3))
            value = self.evaluate(trial)
            if value is None:
                continue
            trial, value = self.descend(trial, value, deadline)
            if value < best_cost + 0.01 * abs(best_cost) and time.monotonic() < deadline - 0.5:
                rerouted = self.reroute(trial, min(0.1 * self.instance.days, deadline - time.monotonic() - 0.3))
                if rerouted is not None:
                    trial, value = self.descend(*rerouted, deadline)
            if value < best_cost - 1e-6:
                best, best_cost = trial, value
                if report:
                    report(best_cost)
        return self.solution(best, best_cost)

    def solution(self, routes: Routes, cost: float) -> IRPSolution:
        found = self.quantities.solve(routes)
        assert found is not None
        amounts = found[1]
        out = []
        for t in sorted(routes):
            for r in routes[t]:
                stops = [i for i in r if amounts[t, i] > 0]
                if stops:
                    out.append(Route(t, tuple(stops), tuple(amounts[t, i] for i in stops)))
        real = sum(route_cost(self.instance, r.stops) for r in out) + found[0]
        return IRPSolution(tuple(out), real)
